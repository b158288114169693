package org.mpft.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.mpft.client.Credentials;
import org.mpft.client.FileTransferClient;
import org.mpft.client.KnownHostsFile;
import org.mpft.client.ListingRequest;
import org.mpft.client.RemoteListing;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.ListingEntry;
import org.mpft.protocol.MpftException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code mpft ls}: lists a folder the user may read. Every option is described in {@code docs/CLI.md}. */
@Command(name = "ls", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"List a folder on an mpft server: what the user may read, by the server's own rules."},
        footer = {"", "Exit codes as for 'mpft get': 0 ok, 2 usage or invalid path, 3 authentication failed,",
            "  4 no such folder, 5 access denied, 7 server unavailable, limit exceeded or no listing support."})
final class LsCommand implements Callable<Integer> {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")
            .withZone(ZoneOffset.UTC);

    private final CliEnvironment env;

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "USER@HOST[:PORT]:PATH",
            description = "The folder: PATH is relative to the user's root ('/' or '.' is the root itself);"
                    + " default port 7300; IPv6 as [::1].")
    private String target;

    @Option(names = "-l", description = "Long format: type and permissions as ls -l shows them (drwxr-xr-x,"
            + " -rw-r--r--; ? where the server has none), size in bytes, modification time (UTC), name.")
    private boolean longFormat;

    @Option(names = "-r", description = "List the folders below too, their entries as relative paths.")
    private boolean recursive;

    @Option(names = "--max-entries", paramLabel = "N", defaultValue = "100000",
            description = "Stop with an error after this many entries (default ${DEFAULT-VALUE}).")
    private int maxEntries;

    @Option(names = "--password-env", paramLabel = "VAR",
            description = "Read the password from this environment variable.")
    private String passwordEnv;

    @Option(names = {"-i", "--identity"}, paramLabel = "KEYFILE",
            description = "Log in with this OpenSSH private key (Ed25519, RSA or ECDSA).")
    private Path identity;

    @Option(names = "--passphrase-env", paramLabel = "VAR",
            description = "Read the key's passphrase from this environment variable.")
    private String passphraseEnv;

    @Option(names = "--known-hosts", paramLabel = "FILE",
            description = "The pinned server certificates (default ~/.mpft/known_hosts).")
    private Path knownHosts;

    @Option(names = "--accept-new", description = "Pin the certificate of a server seen for the first time.")
    private boolean acceptNew;

    @Option(names = "--ca", paramLabel = "FILE|system",
            description = "Check the server's certificate chain against these authorities instead of pinning.")
    private String ca;

    LsCommand(CliEnvironment env) {
        this.env = Objects.requireNonNull(env, "env");
    }

    @Override
    public Integer call() {
        if (target == null || target.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "missing the folder to list: USER@HOST[:PORT]:PATH");
        }
        if (maxEntries < 1) {
            throw new ParameterException(spec.commandLine(), "--max-entries must be 1 or more, got " + maxEntries);
        }
        if (identity != null && passwordEnv != null) {
            throw new ParameterException(spec.commandLine(), "give either -i KEYFILE or --password-env VAR, not both");
        }
        Credentials credentials = null;
        try {
            RemoteTarget remote = parseFolder(target);
            credentials = LoginSetup.credentials(env, identity, passphraseEnv, passwordEnv, remote.user(), remote.host());
            PromptingHostKeys hosts = new PromptingHostKeys(knownHosts != null ? knownHosts
                    : KnownHostsFile.defaultFile(env.home()), acceptNew, env.terminal(), env.err());
            ListingRequest request = new ListingRequest(remote.user(), remote.host(), remote.port(), credentials,
                    hosts, LoginSetup.certificateAuthorities(ca));
            try (FileTransferClient client = new FileTransferClient();
                 RemoteListing listing = client.openListing(request)) {
                list(listing, remote.path());
            }
            env.out().flush();
            return ExitCodes.OK;
        } catch (RemoteTarget.SyntaxException e) {
            return fail(ExitCodes.USAGE, e.getMessage());
        } catch (LoginSetup.Refused e) {
            return fail(e.exitCode, e.getMessage());
        } catch (MpftException e) {
            return fail(e.code() == ErrorCode.UNSUPPORTED_VERSION ? ExitCodes.UNAVAILABLE : ExitCodes.of(e.code()),
                    e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail(ExitCodes.CANCELLED, "cancelled");
        } finally {
            if (credentials instanceof Credentials.Password password) {
                Arrays.fill(password.password(), '\0');
            }
        }
    }

    /**
     * The target with its folder: {@code host:}, {@code host:/} and {@code host:.} are the user's root
     * (path {@code ""}), a trailing {@code /} is dropped; anything else is a {@link RemoteTarget} path.
     */
    static RemoteTarget parseFolder(String text) throws RemoteTarget.SyntaxException, MpftException {
        String trimmed = text;
        while (trimmed.endsWith("/") && !trimmed.endsWith(":/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        for (String root : List.of(":", ":/", ":.", ":./")) {
            if (trimmed.endsWith(root)) {
                // RemoteTarget needs a file path: parse with a stand-in segment, then list the root
                String base = trimmed.substring(0, trimmed.length() - root.length() + 1);
                RemoteTarget parsed = RemoteTarget.parse(base + "x");
                return withUser(new RemoteTarget(parsed.user(), parsed.host(), parsed.port(), ""));
            }
        }
        return withUser(RemoteTarget.parse(trimmed));
    }

    /** Without {@code USER@}, the local user name, as ssh defaults it. */
    private static RemoteTarget withUser(RemoteTarget target) {
        return target.user() != null ? target
                : new RemoteTarget(System.getProperty("user.name"), target.host(), target.port(), target.path());
    }

    /**
     * Prints the folder's entries, and with -r those of every folder below: a folder's entries, then each
     * folder below it in name order (depth first). One folder is listed at a time, so memory holds one folder.
     */
    private void list(RemoteListing listing, String path) throws MpftException, InterruptedException {
        PrintStream out = env.out();
        Deque<String> folders = new ArrayDeque<>();
        folders.push("");
        int printed = 0;
        while (!folders.isEmpty()) {
            if (printed >= maxEntries) {
                throw new MpftException(ErrorCode.LIMIT_EXCEEDED, "stopped after " + maxEntries
                        + " entries (--max-entries)");
            }
            String prefix = folders.pop();
            String folder = path.isEmpty() ? prefix : prefix.isEmpty() ? path : path + "/" + prefix;
            // a folder holding more than the entries left is refused by the client library (LIMIT_EXCEEDED)
            List<ListingEntry> entries = listing.all(folder, maxEntries - printed);
            Deque<String> below = new ArrayDeque<>();
            for (ListingEntry entry : entries) {
                String name = prefix.isEmpty() ? entry.name() : prefix + "/" + entry.name();
                out.println(longFormat ? longLine(entry, name) : escape(name));
                printed++;
                if (recursive && entry.type() == ListingEntry.Type.DIRECTORY) {
                    below.addLast(name);
                }
            }
            // depth first, in name order: push the folders found here in reverse
            while (!below.isEmpty()) {
                folders.push(below.removeLast());
            }
        }
    }

    /** {@code drwxr-xr-x  size  yyyy-MM-dd HH:mm  name}, times in UTC. */
    static String longLine(ListingEntry entry, String name) {
        return String.format("%s %14d %s %s", mode(entry), entry.size(),
                TIME.format(Instant.ofEpochMilli(entry.modifiedMillis())), escape(name));
    }

    /**
     * The type and permissions as {@code ls -l} shows them: {@code d} or {@code -}, then {@code rwx} for owner,
     * group and others, with {@code s}/{@code S} for set-user-ID and set-group-ID and {@code t}/{@code T} for
     * the sticky bit (lower case when the execute bit is set too); nine {@code ?} when the server has none.
     */
    static String mode(ListingEntry entry) {
        StringBuilder text = new StringBuilder(10).append(entry.type() == ListingEntry.Type.DIRECTORY ? 'd' : '-');
        if (!entry.hasPermissions()) {
            return text.append("?????????").toString();
        }
        int bits = entry.permissions();
        for (int who = 0; who < 3; who++) {
            int rwx = bits >> (6 - 3 * who) & 7;
            boolean special = (bits & (04000 >> who)) != 0;
            text.append((rwx & 4) != 0 ? 'r' : '-').append((rwx & 2) != 0 ? 'w' : '-');
            char set = who == 2 ? 't' : 's';
            boolean execute = (rwx & 1) != 0;
            text.append(special ? (execute ? set : Character.toUpperCase(set)) : execute ? 'x' : '-');
        }
        return text.toString();
    }

    /**
     * A name safe for a terminal: control, format, line and paragraph separator characters and the backslash
     * as {@code \\uXXXX} (the client already refuses names with control characters; this holds whatever
     * reaches the printer).
     */
    static String escape(String name) {
        StringBuilder out = new StringBuilder(name.length());
        name.codePoints().forEach(cp -> {
            int type = Character.getType(cp);
            if (Character.isISOControl(cp) || cp == '\\' || type == Character.FORMAT
                    || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR) {
                out.append(String.format("\\u%04x", cp));
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.toString();
    }

    private int fail(int exitCode, String message) {
        env.out().flush();
        env.err().println("mpft: " + message);
        env.err().flush();
        return exitCode;
    }
}
