package org.mpft.host;

import java.util.ArrayList;
import java.util.List;

/**
 * A user's read and write rules: each rule is a folder or file inside the user's home, written relative
 * to the home ({@code /} or the empty string is the whole home). A rule covers its path and everything
 * below it. Paths given to the checks are normalized, home-relative, without a leading {@code /}
 * ({@code ""} is the home itself), as {@link HomeResolver} produces them.
 *
 * @param read  normalized read rules ({@code ""} = whole home)
 * @param write normalized write rules ({@code ""} = whole home)
 */
record AccessRules(List<String> read, List<String> write) {

    /** Read and write the whole home: what a user added without any rule gets. */
    static final AccessRules WHOLE_HOME = new AccessRules(List.of(""), List.of(""));

    /** Freezes the lists. */
    AccessRules {
        read = List.copyOf(read);
        write = List.copyOf(write);
    }

    /**
     * Builds rules from user input such as {@code /}, {@code pub}, {@code /pub/docs/}.
     *
     * @throws IllegalArgumentException when a rule is malformed (see {@link #normalizeRule})
     */
    static AccessRules of(List<String> read, List<String> write) {
        List<String> r = new ArrayList<>();
        for (String rule : read) {
            r.add(normalizeRule(rule));
        }
        List<String> w = new ArrayList<>();
        for (String rule : write) {
            w.add(normalizeRule(rule));
        }
        return new AccessRules(r, w);
    }

    /**
     * Normalizes one rule path to home-relative form without leading or trailing {@code /}.
     *
     * @throws IllegalArgumentException for {@code .} or {@code ..} segments, commas, NUL or control
     *                                  characters, backslashes
     */
    static String normalizeRule(String rule) {
        StringBuilder out = new StringBuilder();
        for (String seg : rule.split("/")) {
            if (seg.isEmpty()) {
                continue;
            }
            if (seg.equals(".") || seg.equals("..")) {
                throw new IllegalArgumentException("rule path must not contain '.' or '..': " + rule);
            }
            for (char c : seg.toCharArray()) {
                if (c < 0x20 || c == 0x7f || c == ',' || c == '\\') {
                    throw new IllegalArgumentException(
                            "rule path must not contain commas, backslashes or control characters: " + rule);
                }
            }
            if (out.length() > 0) {
                out.append('/');
            }
            out.append(seg);
        }
        return out.toString();
    }

    /** Whether the user may read the file or folder at {@code path} (normalized, home-relative). */
    boolean mayRead(String path) {
        return covered(read, path);
    }

    /** Whether the user may create, change or delete {@code path} (normalized, home-relative). */
    boolean mayWrite(String path) {
        return covered(write, path);
    }

    /**
     * Whether the user may list the folder at {@code path}: when it may read it, or when the folder lies
     * on the way to a read or write rule (so that the user can navigate there).
     */
    boolean mayList(String path) {
        return mayRead(path) || leadsTo(read, path) || leadsTo(write, path);
    }

    private static boolean covered(List<String> rules, String path) {
        for (String rule : rules) {
            if (rule.isEmpty() || path.equals(rule) || path.startsWith(rule + "/")) {
                return true;
            }
        }
        return false;
    }

    private static boolean leadsTo(List<String> rules, String path) {
        for (String rule : rules) {
            // the home leads to every rule; any other folder to the rules below it
            if (path.isEmpty() || rule.startsWith(path + "/")) {
                return true;
            }
        }
        return false;
    }
}
