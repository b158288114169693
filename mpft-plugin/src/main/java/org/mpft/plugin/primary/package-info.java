/**
 * One download on the primary, from OPEN to DONE: {@link org.mpft.plugin.primary.PrimaryTransfer} owns it
 * (META, START, ACK/NACK, DONE or CANCEL, its timers, and its release, exactly once), over a
 * {@code ChunkCoordinator} that connects the schedule's decisions to the paths ({@code ChunkPath}): the
 * primary's own {@code ChunkSender}, which reads and sends chunks on the client's connection, and one
 * {@code SecondaryPath} per secondary, which sends SEND_CHUNK over the cluster link. {@code DigestAhead}
 * computes the primary's chunk digests ahead of the secondaries, kept in memory and on disk by
 * {@link org.mpft.plugin.primary.DigestStore}; {@link org.mpft.plugin.primary.PrimaryCluster} keeps the
 * links to the secondaries and registers each transfer with them (a ticket each).
 * {@link org.mpft.plugin.primary.PrimaryTransfers} holds what the transfers of one listener share.
 */
package org.mpft.plugin.primary;
