package org.mpft.client;

import org.mpft.protocol.MpftException;

/**
 * Decides whether to trust a server's TLS certificate, the way ssh decides on host keys. The client
 * calls it during the TLS handshake with the certificate's SHA-256, before it sends any credentials: for
 * the primary, then for each secondary the primary lists. Calls for the paths of a download may come from
 * several threads at once, so implementations are thread-safe; a call may block (to ask someone), which
 * holds up that connection only. {@link KnownHostsFile} is the ssh-style implementation.
 */
@FunctionalInterface
public interface HostKeyVerifier {

    /**
     * @param hostAndPort       the server as the user named it, {@code host:port}
     * @param certificateSha256 the SHA-256 of the certificate the server presented
     * @param vouchedBy         null for a server the user named; for a secondary, the primary that listed
     *                          it in META with this fingerprint
     * @throws MpftException with {@link org.mpft.protocol.ErrorCode#AUTHENTICATION_FAILED} when the
     *                       certificate is refused (changed fingerprint, or the user said no)
     */
    void verify(String hostAndPort, byte[] certificateSha256, String vouchedBy) throws MpftException;
}
