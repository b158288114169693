package org.mpft.client;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.Meta;
import org.mpft.protocol.MpftException;
import org.mpft.protocol.SecondaryEndpoint;

/**
 * Checks the secondaries a primary lists in META before the client connects to any of them: the client
 * will resolve and dial these strings and show them to the user, so a primary must not be able to smuggle
 * control characters, over-long names or ports outside 1-65535 in. A host is a DNS name (labels of letters,
 * digits and hyphens, at most {@value #MAX_HOST_LENGTH} characters) or an IPv4 / IPv6 literal (no zone);
 * a name at most {@value #MAX_NAME_LENGTH} printable characters; each secondary listed once. Anything else refuses the whole META with
 * {@link ErrorCode#PROTOCOL_ERROR}.
 */
final class VouchedSecondaries {

    /** The longest host name (RFC 1035). */
    static final int MAX_HOST_LENGTH = 253;
    /** The longest instance name shown for a secondary. */
    static final int MAX_NAME_LENGTH = 128;

    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
    private static final Pattern IPV4 = Pattern.compile("(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}"
            + "(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    private VouchedSecondaries() {
    }

    /**
     * @param meta   the primary's META
     * @param server the primary, {@code host:port}, for the message
     * @throws MpftException {@link ErrorCode#PROTOCOL_ERROR} naming the first bad entry
     */
    static void check(Meta meta, String server) throws MpftException {
        Set<String> seen = new HashSet<>();
        for (SecondaryEndpoint endpoint : meta.secondaries()) {
            String problem = problem(endpoint);
            if (problem == null && !seen.add(SecondaryPaths.server(endpoint).toLowerCase(java.util.Locale.ROOT))) {
                problem = "it is listed twice";
            }
            if (problem != null) {
                throw refused(server, "secondary " + printable(endpoint.host()) + ":" + endpoint.port() + ": "
                        + problem);
            }
        }
    }

    private static String problem(SecondaryEndpoint endpoint) {
        if (endpoint.port() < 1 || endpoint.port() > 65535) {
            return "port " + endpoint.port() + " is not in 1-65535";
        }
        String name = endpoint.name();
        if (name.isEmpty() || name.length() > MAX_NAME_LENGTH || hasControl(name)) {
            return "its name is empty, longer than " + MAX_NAME_LENGTH + " characters or has control characters";
        }
        return isHost(endpoint.host()) ? null : "not a host name or IP address";
    }

    /** True for a DNS name or an IPv4/IPv6 literal (no brackets, no zone). */
    static boolean isHost(String host) {
        if (host.isEmpty() || host.length() > MAX_HOST_LENGTH || hasControl(host)) {
            return false;
        }
        if (host.indexOf(':') >= 0) {
            if (!IPV6_CHARS.matcher(host).matches()) {
                return false;
            }
            try {
                return InetAddress.getByName(host) != null; // a literal with ':' is parsed, never looked up
            } catch (UnknownHostException | SecurityException e) {
                return false;
            }
        }
        if (host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'))) {
            return IPV4.matcher(host).matches(); // all digits and dots: only a dotted quad
        }
        for (String label : host.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                return false;
            }
        }
        return true;
    }

    private static boolean hasControl(String text) {
        return text.codePoints().anyMatch(c -> Character.isISOControl(c) || Character.getType(c) == Character.FORMAT
                || Character.getType(c) == Character.LINE_SEPARATOR || Character.getType(c) == Character.PARAGRAPH_SEPARATOR);
    }

    private static String printable(String text) {
        StringBuilder out = new StringBuilder();
        text.codePoints().limit(64).forEach(c -> {
            if (c < 0x20 || c == 0x7F || !Character.isDefined(c) || Character.getType(c) == Character.FORMAT) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return text.length() > 64 ? out + "..." : out.toString();
    }

    private static MpftException refused(String server, String why) {
        return new MpftException(ErrorCode.PROTOCOL_ERROR, server + " sent a META that lists an invalid "
                + why + "; the download is refused");
    }
}
