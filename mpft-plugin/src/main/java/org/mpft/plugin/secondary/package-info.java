/**
 * What an instance with {@code mpft.role=secondary} does: {@link org.mpft.plugin.secondary.ClusterLinkHandler}
 * accepts a primary's cluster link (address check, handshake, CLUSTER_WELCOME) and takes its frames;
 * {@code SecondaryTransfers} keeps the transfers the primaries registered and checks the tickets;
 * {@link org.mpft.plugin.secondary.AttachHandler} serves a client that attaches with a ticket (one transfer per
 * stream of its connection, {@code ConnectionAttachments} counting them against
 * {@code mpft.max-concurrent-transfers}); and
 * {@link org.mpft.plugin.secondary.SecondaryRole} sends each chunk a primary assigns to the client attached
 * to that transfer, reporting CHUNK_SENT or CHUNK_ERROR back over the link.
 */
package org.mpft.plugin.secondary;
