/**
 * The mpft PF4J plugin: a QUIC listener that serves downloads of the host's files to the mpft client,
 * with the host's users and access rules, over the primary and its secondaries at once.
 *
 * <p>This root package is the plugin's face and its wiring: {@link org.mpft.plugin.MpftPlugin} (the PF4J
 * plugin class), {@link org.mpft.plugin.MpftChannel} (the {@link org.mpft.api.TransferChannel} extension
 * the host starts), {@code MpftSettings} (the {@code mpft.*} keys, parsed once), {@code MpftInstance}
 * (builds every part of the instance's role from the settings before anything listens),
 * {@code MpftListener} (the UDP listener of either role: a {@code Session} per connection) and
 * {@code LinkSniffer} (on a secondary, tells a client's control stream from a primary's cluster link by
 * its first frame). Sub-packages never see these classes: the wiring hands them values and small
 * settings records.
 *
 * <p>Packages import one way only, along this graph (no cycles, and no two classes of different
 * packages that reference each other):
 * <pre>
 * org.mpft.plugin (root: wiring, listener, settings)
 *   -&gt; session    (HELLO, AUTH, OPEN)
 *        -&gt; primary    (one transfer: coordinator, sender, secondaries, digests)
 *        -&gt; secondary  (cluster links from primaries, clients attached with a ticket)
 *        -&gt; control    (the control stream's handler base and priority)
 *   primary, secondary -&gt; cluster   (secret, handshake, tickets, the primary's link)
 *   primary, secondary -&gt; send      (the chunk read pipeline)
 *   secondary, send    -&gt; control   (the attached client's handler base; the chunk streams' priority)
 *   primary            -&gt; schedule  (pure policy: which path sends which chunk)
 *   primary, secondary, send -&gt; observe (JMX and Prometheus counters, the transfer log line)
 *   send               -&gt; testhooks (fault injection for end-to-end tests)
 *   observe            -&gt; schedule  (the speed sample size of the chunk size policy)
 * </pre>
 * The root imports any of them; {@code schedule}, {@code cluster}, {@code control} and {@code testhooks} import no other
 * plugin package.
 */
package org.mpft.plugin;
