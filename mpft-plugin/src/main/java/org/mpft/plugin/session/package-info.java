/**
 * A client's session on the control stream: {@link org.mpft.plugin.session.Session} runs HELLO, the login
 * ({@code SessionAuthenticator}: password or public-key signature, through the host's authenticator, under
 * the {@code LoginThrottle} back-off (one login per user and source at a time), on the bounded
 * {@link org.mpft.plugin.session.LoginPool}, and the counts of logged-in sessions of
 * {@link org.mpft.plugin.session.SessionLimits}; until then a connection holds a place of the
 * {@link org.mpft.plugin.session.PreLoginLimits} budget, per source and in all, and is closed at the login deadline;
 * one over that budget is answered busy at its HELLO)
 * and OPEN ({@code FileOpener}: the name rule, then the host's access rules, then the size limit), and LIST
 * between transfers ({@code DirectoryLister}: the name rule, the host's {@code FileAccess.list}, the bound on
 * pages per session). From the login on, {@code SessionTransfers} runs the session's transfers, one
 * {@code TransferConversation} per stream (the control stream, and each transfer stream the client opens when
 * both sides speak TRANSFER_STREAMS), within {@code mpft.max-concurrent-transfers} at once. An opened
 * file becomes a primary transfer ({@code org.mpft.plugin.primary}); an ATTACH with a ticket, on a
 * secondary, hands the stream to the secondary's attach handler. {@link org.mpft.plugin.session.Sessions}
 * holds what every session of one listener shares and makes the sessions.
 */
package org.mpft.plugin.session;
