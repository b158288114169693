package org.mpft.transport;

import java.io.IOException;
import java.net.IDN;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The certificate authorities a client trusts instead of pinning: a PEM bundle the user names, or the JDK's
 * default trust store. {@link #check} accepts a server's chain when it leads to one of them (PKIX: signatures,
 * validity dates, basic constraints; no revocation check) and its leaf names the host the user typed: an IP
 * address must be one of the leaf's IP address names, a host name one of its DNS names (a leading {@code *.}
 * matches one label). The subject's common name is not a host name (as for browsers).
 */
public final class CertificateAuthorities {

    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final String ANY_EXTENDED_KEY_USAGE = "2.5.29.37.0";
    private static final int SAN_DNS = 2;
    private static final int SAN_IP = 7;

    private final Set<TrustAnchor> anchors;
    private final List<X509Certificate> certificates;
    private final String source;

    private CertificateAuthorities(Collection<X509Certificate> certificates, String source) {
        this.certificates = List.copyOf(certificates);
        Set<TrustAnchor> set = new HashSet<>();
        for (X509Certificate certificate : certificates) {
            set.add(new TrustAnchor(certificate, null));
        }
        this.anchors = Set.copyOf(set);
        this.source = source;
    }

    /**
     * The certificate authorities of a PEM bundle (one or more {@code CERTIFICATE} blocks).
     *
     * @throws IOException naming the file when it cannot be read or holds no certificate
     */
    public static CertificateAuthorities fromPemFile(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        try {
            return new CertificateAuthorities(PemFiles.certificates(file), file.toString());
        } catch (IOException e) {
            throw new IOException("cannot read the certificate authorities in " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The JDK's default trust store ({@code $JAVA_HOME/lib/security/cacerts}, or what
     * {@code javax.net.ssl.trustStore} names).
     *
     * @throws IOException when the trust store cannot be read or is empty
     */
    public static CertificateAuthorities system() throws IOException {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init((KeyStore) null);
            List<X509Certificate> all = new ArrayList<>();
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509TrustManager x509) {
                    all.addAll(Arrays.asList(x509.getAcceptedIssuers()));
                }
            }
            if (all.isEmpty()) {
                throw new IOException("the system trust store holds no certificate authority");
            }
            return new CertificateAuthorities(all, "the system trust store");
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read the system trust store: " + e.getMessage(), e);
        }
    }

    /** Where the authorities come from, for messages: the file, or "the system trust store". */
    public String source() {
        return source;
    }

    /**
     * Accepts a server's chain when it leads to one of these authorities and names {@code host}.
     *
     * @param chain the server's certificates, leaf first
     * @param host  the host the user typed: a DNS name or an IP address (brackets allowed)
     * @throws CertificateException saying why the chain is refused
     */
    public void check(X509Certificate[] chain, String host) throws CertificateException {
        Objects.requireNonNull(host, "host");
        if (chain == null || chain.length == 0) {
            throw new CertificateException("the server presented no certificate");
        }
        X509Certificate leaf = chain[0];
        List<X509Certificate> path = new ArrayList<>(Arrays.asList(chain));
        // a server may send its root too; the validator wants the path without the anchor
        while (!path.isEmpty() && certificates.contains(path.get(path.size() - 1))) {
            path.remove(path.size() - 1);
        }
        if (path.isEmpty()) {
            leaf.checkValidity(); // the leaf itself is one of the trusted certificates
        } else {
            validate(path);
        }
        checkServerUse(leaf);
        checkHost(leaf, host);
    }

    private void validate(List<X509Certificate> path) throws CertificateException {
        try {
            CertPath certPath = CertificateFactory.getInstance("X.509").generateCertPath(path);
            PKIXParameters parameters = new PKIXParameters(anchors);
            parameters.setRevocationEnabled(false); // no network look-ups; revocation is the CA's lifetime policy
            CertPathValidator.getInstance("PKIX").validate(certPath, parameters);
        } catch (CertPathValidatorException e) {
            throw new CertificateException("not issued by a certificate authority in " + source + " ("
                    + e.getMessage() + ")", e);
        } catch (GeneralSecurityException e) {
            throw new CertificateException("cannot verify the chain against " + source + ": " + e.getMessage(), e);
        }
    }

    private static void checkServerUse(X509Certificate leaf) throws CertificateException {
        List<String> uses = leaf.getExtendedKeyUsage();
        if (uses != null && !uses.contains(SERVER_AUTH) && !uses.contains(ANY_EXTENDED_KEY_USAGE)) {
            throw new CertificateException("the certificate is not for TLS servers (extended key usage "
                    + uses + ")");
        }
    }

    /** The leaf must name the host: an IP address among its IP names, a host name among its DNS names. */
    static void checkHost(X509Certificate leaf, String host) throws CertificateException {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        InetAddress address = ipLiteral(bare);
        List<String> names = new ArrayList<>();
        Collection<List<?>> alternatives;
        try {
            alternatives = leaf.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            throw new CertificateException("cannot read the certificate's names: " + e.getMessage(), e);
        }
        if (alternatives != null) {
            for (List<?> entry : alternatives) {
                int type = (Integer) entry.get(0);
                String value = String.valueOf(entry.get(1));
                if (type == SAN_IP) {
                    names.add("IP:" + value);
                    if (address != null && address.equals(ipLiteral(value))) {
                        return;
                    }
                } else if (type == SAN_DNS) {
                    names.add("DNS:" + value);
                    if (address == null && dnsMatches(value, bare)) {
                        return;
                    }
                }
            }
        }
        throw new CertificateException("the certificate is not for " + bare + " (it names "
                + (names.isEmpty() ? "no host" : String.join(", ", names)) + ")");
    }

    private static boolean dnsMatches(String pattern, String host) {
        String p = normalise(pattern);
        String h = normalise(host);
        if (p.startsWith("*.")) {
            int dot = h.indexOf('.');
            return dot > 0 && h.substring(dot).equals(p.substring(1));
        }
        return p.equals(h);
    }

    private static String normalise(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".")) {
            lower = lower.substring(0, lower.length() - 1);
        }
        try {
            return IDN.toASCII(lower, IDN.ALLOW_UNASSIGNED);
        } catch (IllegalArgumentException e) {
            return lower;
        }
    }

    /** The address of an IP literal (no name look-up), or null for a host name. */
    private static InetAddress ipLiteral(String text) {
        boolean v4 = text.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        boolean v6 = text.indexOf(':') >= 0 && text.matches("[0-9A-Fa-f:.%a-zA-Z0-9]+");
        if (!v4 && !v6) {
            return null;
        }
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
