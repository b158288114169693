package org.mpft.client;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A shell-style pattern for one path segment, matched by the client against the names a server lists
 * ({@link RemoteTree#expand}): {@code *} matches any run of characters (none included), {@code ?} exactly one,
 * {@code [abc]}, {@code [a-z]} one of a set or range, {@code [!a-z]} or {@code [^a-z]} one outside it; a
 * {@code ]} right after the opening {@code [} (or {@code [!}) belongs to the set, and a {@code [} without a
 * closing {@code ]} is an ordinary character. Every other character matches itself (there is no escape
 * character: a backslash is not allowed in remote names). As in the shell, a name starting with {@code .} is
 * matched only by a pattern that starts with a {@code .} itself. A segment never matches across {@code /}.
 * Immutable and thread-safe.
 */
public final class RemoteGlob {

    private final String pattern;
    private final Pattern regex;

    private RemoteGlob(String pattern, Pattern regex) {
        this.pattern = pattern;
        this.regex = regex;
    }

    /**
     * True when {@code segment} holds a wildcard: {@code *}, {@code ?}, or a {@code [} closed by a {@code ]}.
     *
     * @param segment one path segment
     */
    public static boolean isPattern(String segment) {
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c == '*' || c == '?' || (c == '[' && classEnd(segment, i) > 0)) {
                return true;
            }
        }
        return false;
    }

    /**
     * True when any segment of a {@code /}-separated path holds a wildcard.
     *
     * @param path a remote path
     */
    public static boolean hasPattern(String path) {
        for (String segment : path.split("/", -1)) {
            if (isPattern(segment)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Compiles one segment's pattern.
     *
     * @param segment the pattern, without {@code /}
     * @throws IllegalArgumentException when the segment holds a {@code /}
     */
    public static RemoteGlob compile(String segment) {
        Objects.requireNonNull(segment, "segment");
        if (segment.indexOf('/') >= 0) {
            throw new IllegalArgumentException("a pattern is one path segment, without '/': " + segment);
        }
        StringBuilder regex = new StringBuilder();
        int i = 0;
        while (i < segment.length()) {
            char c = segment.charAt(i);
            if (c == '*') {
                regex.append(".*");
                i++;
            } else if (c == '?') {
                regex.append('.');
                i++;
            } else if (c == '[' && classEnd(segment, i) > 0) {
                int end = classEnd(segment, i);
                regex.append(characterClass(segment.substring(i + 1, end)));
                i = end + 1;
            } else {
                int cp = segment.codePointAt(i);
                regex.append(literal(cp));
                i += Character.charCount(cp);
            }
        }
        return new RemoteGlob(segment, Pattern.compile(regex.toString(), Pattern.DOTALL));
    }

    /**
     * True when the name matches the pattern.
     *
     * @param name one entry name, as listed
     */
    public boolean matches(String name) {
        if (name.startsWith(".") && !pattern.startsWith(".")) {
            return false; // as in the shell: hidden names only by a pattern that names the dot
        }
        return regex.matcher(name).matches();
    }

    /** The pattern as given. */
    @Override
    public String toString() {
        return pattern;
    }

    /** The index of the {@code ]} closing the set opened at {@code open}, or -1 when none does. */
    private static int classEnd(String segment, int open) {
        int i = open + 1;
        if (i < segment.length() && (segment.charAt(i) == '!' || segment.charAt(i) == '^')) {
            i++;
        }
        if (i < segment.length() && segment.charAt(i) == ']') {
            i++; // a ']' first is part of the set
        }
        return segment.indexOf(']', i);
    }

    /** The body of a {@code [...]} as a regular-expression class, every character written as a code point. */
    private static String characterClass(String body) {
        StringBuilder out = new StringBuilder("[");
        int i = 0;
        if (!body.isEmpty() && (body.charAt(0) == '!' || body.charAt(0) == '^')) {
            out.append('^');
            i = 1;
        }
        int[] cps = body.substring(i).codePoints().toArray();
        for (int k = 0; k < cps.length; k++) {
            if (k + 2 < cps.length && cps[k + 1] == '-') {
                // a reversed range (z-a) is taken as the same range, not as an error
                int low = Math.min(cps[k], cps[k + 2]);
                int high = Math.max(cps[k], cps[k + 2]);
                out.append(literal(low)).append('-').append(literal(high));
                k += 2;
            } else {
                out.append(literal(cps[k]));
            }
        }
        return out.append(']').toString();
    }

    /** A code point as a regular expression matches it literally, whatever it is. */
    private static String literal(int cp) {
        return "\\x{" + Integer.toHexString(cp) + "}";
    }
}
