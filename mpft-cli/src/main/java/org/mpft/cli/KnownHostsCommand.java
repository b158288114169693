package org.mpft.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.mpft.client.KnownHostsFile;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code mpft known-hosts list} and {@code mpft known-hosts remove HOST[:PORT]}: the pinned server
 * certificates of {@code ~/.mpft/known_hosts} (or {@code --known-hosts FILE}), read and edited through
 * {@link KnownHostsFile}. {@code remove} says what it removed, or that nothing matched (exit 1).
 */
@Command(name = "known-hosts", mixinStandardHelpOptions = true,
        description = "List or remove the pinned server certificates (~/.mpft/known_hosts).")
final class KnownHostsCommand implements Runnable {

    private final CliEnvironment env;

    @Spec
    private CommandSpec spec;

    KnownHostsCommand(CliEnvironment env) {
        this.env = Objects.requireNonNull(env, "env");
    }

    /** Without a subcommand: the usage, exit 2. */
    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing the subcommand: list or remove");
    }

    /** Prints one line per pinned server: {@code host:port SHA256:…}. */
    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Print each pinned server and its certificate fingerprint: host:port SHA256:...")
    int list(@Option(names = "--known-hosts", paramLabel = "FILE",
            description = "The known-hosts file (default: ~/.mpft/known_hosts).") Path knownHosts) {
        KnownHostsFile file = open(knownHosts);
        try {
            for (KnownHostsFile.Entry entry : file.entries()) {
                env.out().println(entry.hostAndPort() + " " + entry.fingerprint());
            }
            env.out().flush();
            return ExitCodes.OK;
        } catch (IOException e) {
            return fail("cannot read " + file.file() + ": " + e.getMessage());
        }
    }

    /** Removes a server's lines and says which; exit 1 when none matched. */
    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = {"Forget a server's pinned certificate (every port of HOST when no PORT is given).",
                "Exit 1 when nothing matched."})
    int remove(@Parameters(paramLabel = "HOST[:PORT]",
                       description = "The server as it is pinned: host:7300, [::1]:7301, or a host alone.") String server,
               @Option(names = "--known-hosts", paramLabel = "FILE",
                       description = "The known-hosts file (default: ~/.mpft/known_hosts).") Path knownHosts) {
        String host;
        int port;
        try {
            String[] parts = split(server);
            host = parts[0];
            port = parts[1] == null ? KnownHostsFile.ANY_PORT : port(parts[1]);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.subcommands().get("remove"),
                    "HOST[:PORT]: " + e.getMessage());
        }
        KnownHostsFile file = open(knownHosts);
        List<KnownHostsFile.Entry> removed;
        try {
            removed = file.remove(host, port);
        } catch (IOException e) {
            return fail("cannot update " + file.file() + ": " + e.getMessage());
        }
        if (removed.isEmpty()) {
            return fail("no pinned certificate of " + server + " in " + file.file() + ": nothing removed");
        }
        for (KnownHostsFile.Entry entry : removed) {
            env.out().println("removed " + entry.hostAndPort() + " " + entry.fingerprint() + " from " + file.file());
        }
        env.out().flush();
        return ExitCodes.OK;
    }

    /**
     * {@code HOST[:PORT]} as {host, port or null}: {@code [v6]} and {@code [v6]:port} in brackets, a bare IPv6
     * address (two colons or more) as a host alone; the host comes back as the file writes it ({@code [v6]}).
     */
    static String[] split(String server) {
        if (server.isEmpty()) {
            throw new IllegalArgumentException("empty");
        }
        if (server.startsWith("[")) {
            int close = server.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("no ']' after the IPv6 address in '" + server + "'");
            }
            String rest = server.substring(close + 1);
            if (!rest.isEmpty() && !rest.startsWith(":")) {
                throw new IllegalArgumentException("expected ':PORT' after ']' in '" + server + "'");
            }
            return new String[] {server.substring(0, close + 1), rest.isEmpty() ? null : rest.substring(1)};
        }
        int colon = server.indexOf(':');
        if (colon < 0) {
            return new String[] {server, null};
        }
        if (server.indexOf(':', colon + 1) >= 0) {
            return new String[] {"[" + server + "]", null};
        }
        if (colon == 0) {
            throw new IllegalArgumentException("no host before ':' in '" + server + "'");
        }
        return new String[] {server.substring(0, colon), server.substring(colon + 1)};
    }

    private static int port(String text) {
        try {
            int port = Integer.parseInt(text);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // the message below
        }
        throw new IllegalArgumentException("the port must be 1 to 65535, got '" + text + "'");
    }

    private KnownHostsFile open(Path knownHosts) {
        return new KnownHostsFile(knownHosts != null ? knownHosts : KnownHostsFile.defaultFile(env.home()),
                KnownHostsFile.UnknownServerPolicy.REFUSE);
    }

    private int fail(String message) {
        env.err().println("mpft: " + message);
        env.err().flush();
        return ExitCodes.FAILURE;
    }
}
