/**
 * What primaries and secondaries share to trust each other: the {@link org.mpft.plugin.cluster.ClusterSecret}
 * (from {@code mpft.cluster.secret-file}), the {@link org.mpft.plugin.cluster.ClusterHandshake} that proves
 * it both ways, bound to the secondary's certificate, the {@link org.mpft.plugin.cluster.Ticket} a primary
 * seals for a client to attach to a secondary, and the primary's end of a link,
 * {@link org.mpft.plugin.cluster.ClusterLink} (connect, handshake, keep-alive and the link timeout that notices a
 * silent secondary, reconnect), and the transfers it carries ({@code LinkTransfers}: registrations waiting for
 * an answer, each transfer's events).
 * Pure apart from the link; no other plugin package is imported.
 */
package org.mpft.plugin.cluster;
