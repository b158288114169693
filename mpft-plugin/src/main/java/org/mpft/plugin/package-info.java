/**
 * The mpft PF4J plugin: a QUIC listener that serves downloads of the host's files to the mpft client,
 * with the host's users and access rules.
 *
 * <p>{@link org.mpft.plugin.MpftPlugin} is the PF4J plugin class and {@link org.mpft.plugin.MpftChannel}
 * the {@link org.mpft.api.TransferChannel} extension the host starts. Inside: {@code MpftSettings} (the
 * {@code mpft.*} keys), {@code PrimaryServer} (the listener and its threads), one {@code Session} per
 * connection (the control stream's state machine, logging in through {@code SessionAuthenticator} and
 * opening files through {@code FileOpener}), one {@code Transfer} per open file, a {@code ChunkCoordinator}
 * deciding which path sends which chunk, and a {@code ChunkSender} per path that reads chunks
 * ({@code ChunkReader}) and writes each on its own stream ({@code ChunkStreamWriter}).
 */
package org.mpft.plugin;
