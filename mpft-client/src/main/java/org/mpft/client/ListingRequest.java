package org.mpft.client;

import java.util.Objects;
import org.mpft.transport.CertificateAuthorities;

/**
 * Where and as whom to list folders ({@link FileTransferClient#openListing}): the server and the login, the
 * same as a {@link DownloadRequest}'s.
 *
 * @param user        the user name on the server
 * @param host        the server's host name or address
 * @param port        the server's UDP port
 * @param credentials how to log in
 * @param hostKeys    which server certificates to trust (unless {@code certificateAuthorities} is given)
 * @param certificateAuthorities null to pin the certificate with {@code hostKeys}; else the authorities its
 *                    chain must lead to, the certificate naming {@code host}
 */
public record ListingRequest(String user, String host, int port, Credentials credentials, HostKeyVerifier hostKeys,
                             CertificateAuthorities certificateAuthorities) {

    /** Checks the fields. */
    public ListingRequest {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(hostKeys, "hostKeys");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    /** The server as shown to the user, {@code host:port} ({@code [v6]:port} for an IPv6 address). */
    public String server() {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }
}
