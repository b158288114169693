/**
 * What primaries and secondaries share to trust each other: the {@link org.mpft.plugin.cluster.ClusterSecret}
 * (from {@code mpft.cluster.secret-file}), the {@link org.mpft.plugin.cluster.ClusterHandshake} that proves
 * it both ways, bound to the secondary's certificate, the {@link org.mpft.plugin.cluster.Ticket} a primary
 * seals for a client to attach to a secondary, and the primary's end of a link,
 * {@link org.mpft.plugin.cluster.ClusterLink} (connect, handshake, reconnect), its liveness check
 * ({@code LinkLiveness}: LINK_PING every quarter of the link timeout, the link down when the secondary sent nothing
 * for the timeout; {@code LinkKeepAlive} runs it on the link's event loop, or keeps a link to a secondary that
 * predates LINK_PING open with QUIC keep-alives), and the transfers it carries ({@code LinkTransfers}: registrations waiting for
 * an answer, each transfer's events).
 * Pure apart from the link; no other plugin package is imported.
 */
package org.mpft.plugin.cluster;
