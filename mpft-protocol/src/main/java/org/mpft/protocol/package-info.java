/**
 * The mpft wire format, shared by the plugin (servers) and the client, with no Netty types.
 *
 * <p>A control stream carries length-prefixed frames ({@link org.mpft.protocol.Frame}, encoded and decoded
 * by {@link org.mpft.protocol.FrameCodec}); each chunk travels on its own unidirectional stream behind a
 * {@link org.mpft.protocol.ChunkHeader}. {@link org.mpft.protocol.ChunkPlan} cuts a file into chunks,
 * {@link org.mpft.protocol.ChecksumAlgorithm} checks them, {@link org.mpft.protocol.RemotePath} validates
 * names, {@link org.mpft.protocol.LogText} makes a text from the wire safe to log, and
 * {@link org.mpft.protocol.ErrorCode} holds every error's wire value. {@code docs/PROTOCOL.md}
 * describes the bytes.
 */
package org.mpft.protocol;
