package org.mpft.plugin;

import static org.mpft.plugin.Setting.invalid;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mpft.api.ChannelStartException;

/**
 * The kinds of setting: one factory per value type, each declaring a {@link Setting} with its bounds and the
 * words of its error message. Sizes accept a {@code k}, {@code m}, {@code g} or {@code t} suffix (binary:
 * 1k = 1024 bytes); durations accept {@code ms}, {@code s}, {@code m} or {@code h} (a bare number is seconds).
 */
public final class SettingParsers {

    private static final Pattern SIZE = Pattern.compile("(\\d{1,19})\\s*([kmgt]?)(?:i?b)?", Pattern.CASE_INSENSITIVE);
    private static final Pattern DURATION = Pattern.compile("(\\d{1,12})\\s*(ms|s|m|h)?", Pattern.CASE_INSENSITIVE);

    private SettingParsers() {
    }

    /** {@code value} as an int from {@code min} to {@code max}, else the key's error saying {@code expected}. */
    private static int wholeNumber(String key, String value, int min, int max, String expected)
            throws ChannelStartException {
        try {
            int n = Integer.parseInt(value);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below, as an out-of-range value is
        }
        throw invalid(key, value, expected);
    }

    /** A whole number from {@code min} to {@code max}. */
    public static Setting<Integer> integer(String key, String dflt, int min, int max, String doc) {
        String accepts = "a number from " + min + " to " + max;
        String expected = "expected " + accepts;
        return new Setting<>(key, dflt, accepts, (k, text) -> {
            String value = text.trim();
            return wholeNumber(k, value, min, max, expected);
        }, doc);
    }

    /** A size in bytes from {@code min} to {@code max} (suffix k, m, g or t). */
    public static Setting<Long> size(String key, String dflt, long min, long max, String doc) {
        return new Setting<>(key, dflt, sizeAccepts(min, max), (k, text) -> size(k, text, min, max), doc);
    }

    /** A size in bytes that fits an {@code int}, from {@code min} to {@code max} (suffix k, m, g or t). */
    public static Setting<Integer> intSize(String key, String dflt, int min, int max, String doc) {
        return new Setting<>(key, dflt, sizeAccepts(min, max), (k, text) -> (int) size(k, text, min, max), doc);
    }

    /** A duration from {@code min} to {@code max} (suffix ms, s, m or h; a bare number is seconds). */
    public static Setting<Duration> duration(String key, String dflt, Duration min, Duration max, String doc) {
        return new Setting<>(key, dflt, "a duration from " + durationText(min) + " to " + durationText(max),
                (k, text) -> duration(k, text, min, max), doc);
    }

    /**
     * One of a few words (case-insensitive, surrounding blanks ignored).
     *
     * @param words each accepted word (aliases included) and its value
     * @param names the accepted words as the error message lists them, e.g. {@code sha256 or crc32c}
     */
    public static <T> Setting<T> choice(String key, String dflt, Map<String, T> words, String names, String doc) {
        return new Setting<>(key, dflt, names, (k, text) -> {
            T value = words.get(text.trim().toLowerCase(Locale.ROOT));
            if (value == null) {
                throw invalid(k, text, "expected " + names);
            }
            return value;
        }, doc);
    }

    /** An IP address or a host name that resolves. */
    public static Setting<InetAddress> address(String key, String dflt, String doc) {
        return new Setting<>(key, dflt, "an IP address or host name", (k, text) -> {
            String value = text.trim();
            if (!value.matches("[A-Za-z0-9.:\\-\\[\\]%]+")) {
                throw invalid(k, value, "expected an IP address or host name");
            }
            try {
                return InetAddress.getByName(unbracket(value));
            } catch (UnknownHostException e) {
                throw invalid(k, value, "unknown host");
            }
        }, doc);
    }

    /** Comma-separated addresses or host names, each resolved to all its addresses; empty for none. */
    public static Setting<List<InetAddress>> addresses(String key, String doc) {
        return new Setting<>(key, "", "addresses or host names, comma-separated", (k, text) -> {
            List<InetAddress> list = new ArrayList<>();
            for (String entry : text.split(",")) {
                String host = entry.trim();
                if (host.isEmpty()) {
                    continue;
                }
                try {
                    list.addAll(Arrays.asList(InetAddress.getAllByName(unbracket(host))));
                } catch (UnknownHostException e) {
                    throw invalid(k, entry, "unknown host");
                }
            }
            return List.copyOf(list);
        }, doc);
    }

    /** Comma-separated {@code host:port} entries ({@code [v6]:port} too); empty for none. */
    public static Setting<List<MpftSettings.HostPort>> hostPorts(String key, String doc) {
        return new Setting<>(key, "", "host:port,host:port", (k, text) -> {
            List<MpftSettings.HostPort> list = new ArrayList<>();
            for (String entry : text.split(",")) {
                if (!entry.isBlank()) {
                    list.add(hostPort(k, entry.trim(), true));
                }
            }
            return List.copyOf(list);
        }, doc);
    }

    /** {@code host} or {@code host:port} (port 0 when not given); empty for none (null). */
    public static Setting<MpftSettings.HostPort> optionalHostPort(String key, String doc) {
        return new Setting<>(key, "", "host or host:port", (k, text) -> {
            String value = text.trim();
            return value.isEmpty() ? null : hostPort(k, value, false);
        }, doc);
    }

    /** {@code host:port} with a port from 1 to 65535 (an IPv6 address in brackets); empty for none (null). */
    public static Setting<MpftSettings.HostPort> optionalHostAndPort(String key, String doc) {
        return new Setting<>(key, "", "host:port, or empty for off", (k, text) -> {
            String value = text.trim();
            return value.isEmpty() ? null : hostPort(k, value, true);
        }, doc);
    }

    /** A file path as written (resolved later, against the plugin's data folder); empty for none (null). */
    public static Setting<Path> optionalPath(String key, String doc) {
        return new Setting<>(key, "", "a file path", (k, text) -> {
            String value = text.trim();
            try {
                return value.isEmpty() ? null : Path.of(value);
            } catch (InvalidPathException e) {
                throw invalid(k, value, "expected a file path");
            }
        }, doc);
    }

    /** 1 to 64 printable ASCII characters without spaces. */
    public static Setting<String> name(String key, String dflt, String doc) {
        String accepts = "1 to 64 printable ASCII characters without spaces";
        String expected = "expected " + accepts;
        return new Setting<>(key, dflt, accepts, (k, text) -> {
            String value = text.trim();
            if (value.isEmpty() || value.length() > 64 || !value.chars().allMatch(c -> c > 0x20 && c < 0x7F)) {
                throw invalid(k, text, expected);
            }
            return value;
        }, doc);
    }

    /** {@code auto} (0) or a number from {@code min} to {@code max}. */
    public static Setting<Integer> autoOrInteger(String key, int min, int max, String unit, String doc) {
        String accepts = "auto or a number of " + unit + " from " + min + " to " + max;
        String expected = "expected " + accepts;
        return new Setting<>(key, "auto", accepts, (k, text) -> {
            String value = text.trim();
            if ("auto".equalsIgnoreCase(value)) {
                return 0;
            }
            return wholeNumber(k, value, min, max, expected);
        }, doc);
    }

    /**
     * Parses {@code 4096}, {@code 4k}, {@code 4m}, {@code 1g}, {@code 1t} (binary units; {@code 4MiB} too).
     *
     * @throws IllegalArgumentException when the text is not a size or overflows a long
     */
    public static long parseSize(String text) {
        Matcher m = SIZE.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a size: " + text);
        }
        int shift = switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "" -> 0;
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            default -> 40;
        };
        long n = Long.parseLong(m.group(1));
        if (n > (Long.MAX_VALUE >> shift)) {
            throw new IllegalArgumentException("size too large: " + text);
        }
        return n << shift;
    }

    /** The error text of a size out of {@code min..max}: {@code expected a size from ... bytes (...)}. */
    static String sizeRange(long min, long max) {
        return "expected a size from " + min + " to " + max + " bytes (suffix k, m, g or t allowed)";
    }

    /** The error text of a duration out of {@code min..max}. */
    static String durationRange(Duration min, Duration max) {
        return "expected a duration from " + min.toMillis() + "ms to " + max.toSeconds() + "s (suffix ms, s, m or h)";
    }

    /** A size range for the docs, in the largest binary unit that states each bound exactly. */
    private static String sizeAccepts(long min, long max) {
        return "a size from " + sizeText(min) + " to " + sizeText(max);
    }

    private static String sizeText(long n) {
        String[] suffixes = {"t", "g", "m", "k"};
        for (int i = 0; i < suffixes.length; i++) {
            int shift = 40 - 10 * i;
            if (n != 0 && n % (1L << shift) == 0) {
                return (n >> shift) + suffixes[i];
            }
        }
        return Long.toString(n);
    }

    /** A duration for the docs, in the largest unit that states it exactly. */
    private static String durationText(Duration d) {
        long ms = d.toMillis();
        if (ms == 0) {
            return "0";
        }
        if (ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }

    private static long size(String key, String value, long min, long max) throws ChannelStartException {
        long n;
        try {
            n = parseSize(value);
        } catch (IllegalArgumentException e) {
            throw invalid(key, value, sizeRange(min, max));
        }
        if (n < min || n > max) {
            throw invalid(key, value, sizeRange(min, max));
        }
        return n;
    }

    private static Duration duration(String key, String value, Duration min, Duration max)
            throws ChannelStartException {
        Matcher m = DURATION.matcher(value.trim());
        if (!m.matches()) {
            throw invalid(key, value, durationRange(min, max));
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2).toLowerCase(Locale.ROOT);
        Duration d = switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw invalid(key, value, durationRange(min, max));
        }
        return d;
    }

    /** Parses {@code host:port}, {@code [v6]:port}, or (when the port is optional) {@code host}. */
    private static MpftSettings.HostPort hostPort(String key, String entry, boolean portRequired)
            throws ChannelStartException {
        String host = entry;
        int port = 0;
        int colon = entry.lastIndexOf(':');
        if (entry.startsWith("[")) {
            int close = entry.indexOf(']');
            if (close < 0) {
                throw invalid(key, entry, "expected host:port");
            }
            host = entry.substring(1, close);
            colon = entry.length() > close + 1 && entry.charAt(close + 1) == ':' ? close + 1 : -1;
        } else if (colon >= 0 && entry.indexOf(':') != colon) {
            colon = -1; // a bare IPv6 address
        } else if (colon >= 0) {
            host = entry.substring(0, colon);
        }
        if (colon >= 0) {
            try {
                port = Integer.parseInt(entry.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw invalid(key, entry, "expected host:port with a port from 1 to 65535");
            }
            if (port < 1 || port > 65535) {
                throw invalid(key, entry, "expected host:port with a port from 1 to 65535");
            }
        } else if (portRequired) {
            throw invalid(key, entry, "expected host:port");
        }
        if (host.isEmpty() || !host.matches("[A-Za-z0-9.:\\-%]+")) {
            throw invalid(key, entry, "expected an IP address or host name");
        }
        return new MpftSettings.HostPort(host, port);
    }

    private static String unbracket(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }
}
