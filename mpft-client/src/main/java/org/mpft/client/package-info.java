/**
 * The mpft client library: {@link org.mpft.client.FileTransferClient} downloads one file over every path
 * its primary offers (the primary and its secondaries, over QUIC), checks every chunk, writes it in place
 * and resumes a partial download; many files of one server go in one run ({@link org.mpft.client.BatchRequest}),
 * each of several logged-in sessions fetching several files at once, each on a stream of its own (one after
 * another on a server without transfer streams). The public face is the client, {@link org.mpft.client.DownloadRequest},
 * {@link org.mpft.client.Download}, {@link org.mpft.client.DownloadResult}, the progress types and
 * listener, the credentials ({@link org.mpft.client.Credentials}, key files as
 * {@link org.mpft.client.OpenSshIdentity}, a running ssh-agent's keys through {@link org.mpft.client.SshAgent},
 * which signs each login itself) and server trust ({@link org.mpft.client.HostKeyVerifier}, {@link org.mpft.client.KnownHostsFile});
 * failures are {@link org.mpft.protocol.MpftException}s carrying an {@link org.mpft.protocol.ErrorCode}.
 * Many files are planned from the server's listings ({@link org.mpft.client.FileSelection} over a
 * {@link org.mpft.client.RemoteTree}: patterns by {@link org.mpft.client.RemoteGlob}, local names checked by
 * {@link org.mpft.client.OutputNames}).
 * Everything else here (the connections, the chunk pipeline, the on-disk state) is package-private.
 */
package org.mpft.client;
