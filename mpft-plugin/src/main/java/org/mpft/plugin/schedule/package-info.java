/**
 * Pure policy of a multi-path transfer, with no Netty type and no other plugin package: the
 * {@link org.mpft.plugin.schedule.ChunkSchedule} (which chunk each path gets, repeats and moves after
 * failures, the endgame, the digest frontier of secondaries), its {@link org.mpft.plugin.schedule.ChunkStrategy}
 * ({@code alternate} or {@code adaptive}, over each path's {@code PathState}), the
 * {@link org.mpft.plugin.schedule.ChunkTimeoutPolicy} that judges a secondary's chunks overdue and the
 * {@link org.mpft.plugin.schedule.ChunkSizePolicy} that picks a chunk size. Time comes from an injected
 * clock; every class is tested without sockets.
 */
package org.mpft.plugin.schedule;
