package org.mpft.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.mpft.protocol.MpftException;

/**
 * The sources of a many-file {@code mpft get}: every {@code [USER@]HOST[:PORT]:PATH} on the same server, in the
 * same form (all SSH or all direct), as one run logs in to one server.
 *
 * @param ssh    the first source in the SSH form, or null for the direct form
 * @param direct the first source in the direct form, or null for the SSH form
 * @param paths  every source's path, relative to the user's root, patterns allowed, without a trailing {@code /}
 */
record BatchTargets(SshTarget ssh, RemoteTarget direct, List<String> paths) {

    /** Sources on different servers or in different forms. */
    static final class Mixed extends Exception {
        private static final long serialVersionUID = 1L;

        Mixed(String message) {
            super(message);
        }
    }

    BatchTargets {
        paths = List.copyOf(paths);
        if ((ssh == null) == (direct == null)) {
            throw new IllegalArgumentException("exactly one of ssh and direct");
        }
    }

    /**
     * Parses the sources.
     *
     * @param sources the SRC arguments
     * @param sshForm true when the options allow the SSH form (a source without a port then takes it)
     * @throws Mixed                      when two sources name different servers or users
     * @throws RemoteTarget.SyntaxException when a source is not {@code [USER@]HOST[:PORT]:PATH}
     * @throws MpftException              INVALID_PATH when a path breaks the rules
     */
    static BatchTargets parse(List<String> sources, boolean sshForm)
            throws Mixed, RemoteTarget.SyntaxException, MpftException {
        List<String> paths = new ArrayList<>();
        SshTarget firstSsh = null;
        RemoteTarget firstDirect = null;
        for (String typed : sources) {
            // a folder may be typed with a trailing '/' (host:dir/), as scp takes it
            String source = typed;
            while (source.endsWith("/") && !source.endsWith(":/")) {
                source = source.substring(0, source.length() - 1);
            }
            SshTarget ssh = sshForm ? SshTarget.parse(source) : null;
            if (ssh != null) {
                if (firstDirect != null || (firstSsh != null && !sameServer(firstSsh, ssh))) {
                    throw mixed(sources);
                }
                firstSsh = firstSsh == null ? ssh : firstSsh;
                paths.add(ssh.path());
                continue;
            }
            RemoteTarget direct = RemoteTarget.parse(source);
            if (firstSsh != null || (firstDirect != null && !sameServer(firstDirect, direct))) {
                throw mixed(sources);
            }
            firstDirect = firstDirect == null ? direct : firstDirect;
            paths.add(direct.path());
        }
        return new BatchTargets(firstSsh, firstDirect, paths);
    }

    /**
     * True when the source's path holds a pattern ({@link org.mpft.client.RemoteGlob#hasPattern}); false for a
     * source that does not parse (the single-file path then names what is wrong).
     */
    static boolean hasPattern(String source) {
        try {
            return org.mpft.client.RemoteGlob.hasPattern(RemoteTarget.parse(source).path());
        } catch (RemoteTarget.SyntaxException | MpftException e) {
            return false;
        }
    }

    private static boolean sameServer(SshTarget a, SshTarget b) {
        return Objects.equals(a.user(), b.user()) && a.host().equals(b.host());
    }

    private static boolean sameServer(RemoteTarget a, RemoteTarget b) {
        return Objects.equals(a.user(), b.user()) && a.host().equals(b.host()) && a.port() == b.port();
    }

    private static Mixed mixed(List<String> sources) {
        return new Mixed("one server per run: every SRC must name the same [USER@]HOST[:PORT] ("
                + String.join(", ", sources.stream().map(org.mpft.protocol.RemotePath::quote).toList()) + ")");
    }
}
