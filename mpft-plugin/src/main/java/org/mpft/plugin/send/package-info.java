/**
 * The read pipeline of a chunk, from the host's file to a QUIC stream: {@link org.mpft.plugin.send.ChunkReader}
 * waits for the instance's {@link org.mpft.plugin.send.SendRateLimiter}, takes a chunk read ahead by the
 * path's {@link org.mpft.plugin.send.ChunkPrefetcher} or reads it through the
 * {@link org.mpft.plugin.send.ChunkSource} (the chunk cache, then the file's positional read, the checksum,
 * compression where it pays), and hands header and bytes to a {@link org.mpft.plugin.send.ChunkOutlet}:
 * {@link org.mpft.plugin.send.QuicChunkOutlet} opens one unidirectional stream per chunk and
 * {@code ChunkStreamWriter} writes it at the chunk priority of {@code control.StreamPriorities}.
 * {@link org.mpft.plugin.send.Transfer} is the open file being read, each read bracketed by a look at the
 * file's identity so that a file written while it is served ends the transfer
 * ({@link org.mpft.plugin.send.FileChangedException}) instead of mixing two versions. Chunk buffers from read
 * to the moment QUIC took their last byte are counted in the {@link org.mpft.plugin.send.SendBudget} (per
 * connection and per instance); a sender takes a lease before it reads, and a
 * {@link org.mpft.plugin.send.LeaseQueue} holds the sends that wait for one. Used by both roles.
 */
package org.mpft.plugin.send;
