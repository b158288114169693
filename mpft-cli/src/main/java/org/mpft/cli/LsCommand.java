package org.mpft.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
import org.mpft.protocol.RemotePath;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code mpft ls}: lists a folder the user may read, logging in as {@code mpft get} does (the SSH form for a
 * port-less target, else a direct login trying the same candidates). Every option is described in
 * {@code docs/CLI.md}.
 */
@Command(name = "ls", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"List a folder on an mpft server: what the user may read, by the server's own rules."},
        footer = {"", "Exit codes as for 'mpft get': 0 ok, 2 usage or invalid path, 3 authentication failed,",
            "  4 no such folder, 5 access denied, 7 server unavailable, limit exceeded or no listing support."})
final class LsCommand implements Callable<Integer> {

    /** How many folders {@code -r} lists at once: one and those next in line. */
    static final int LOOK_AHEAD = 16;

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")
            .withZone(ZoneOffset.UTC);

    private final CliEnvironment env;

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "[USER@]HOST[:PORT]:PATH",
            description = "The folder: PATH is relative to the user's root ('/' or '.' is the root itself); IPv6 as"
                    + " [::1]. Without a port, ssh asks HOST for a session offer (SSH form); with a port, or with"
                    + " --direct (port 7300 by default), mpft logs in directly over QUIC. HOST may be a Host alias"
                    + " of the ssh configuration; USER defaults to its User, else the local user name.")
    private String target;

    @Mixin
    private SshOptions sshOptions = new SshOptions();

    @Mixin
    private SshConfigOption sshConfig = new SshConfigOption();

    @Option(names = "--direct", description = "Log in directly over QUIC at the target's port (default 7300),"
            + " as the USER@HOST:PORT:PATH form always does.")
    private boolean direct;

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
            description = "The private key (OpenSSH, PEM or PKCS#8; Ed25519, RSA or ECDSA): ssh logs in with it"
                    + " (SSH form), or mpft does with it only (direct login). Without -i and --password-env, a"
                    + " direct login tries the ssh-agent's keys, then the ssh configuration's IdentityFile or"
                    + " ~/.ssh/id_ed25519, id_ecdsa, id_rsa, then the password prompt.")
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
            throw new ParameterException(spec.commandLine(), "missing the folder to list: [USER@]HOST[:PORT]:PATH");
        }
        if (maxEntries < 1) {
            throw new ParameterException(spec.commandLine(), "--max-entries must be 1 or more, got " + maxEntries);
        }
        if (identity != null && passwordEnv != null) {
            throw new ParameterException(spec.commandLine(), "give either -i KEYFILE or --password-env VAR, not both");
        }
        try {
            SshTarget viaSsh = LoginForm.direct(direct, passwordEnv, passphraseEnv, knownHosts, acceptNew, ca) ? null
                    : sshFolder(target);
            if (viaSsh != null) {
                sshOptions.config = sshConfig.given() ? sshConfig.file(env.home()) : null;
                // one listing is one login: an offer of one token
                SshBootstrap.Login login = new SshBootstrap(sshOptions, identity, 1).login(viaSsh);
                list(new ListingRequest(login.user(), login.host(), login.port(), login.credentials(), login.pin(),
                        null), viaSsh.path());
            } else {
                listDirect(parseFolder(target));
            }
            env.out().flush();
            return ExitCodes.OK;
        } catch (RemoteTarget.SyntaxException e) {
            return fail(ExitCodes.USAGE, e.getMessage());
        } catch (LoginSetup.Refused e) {
            return fail(e.exitCode, e.getMessage());
        } catch (LoginCandidates.Unusable e) {
            return fail(e.exitCode, e.getMessage());
        } catch (MpftException e) {
            return fail(e.code() == ErrorCode.UNSUPPORTED_VERSION ? ExitCodes.UNAVAILABLE : ExitCodes.of(e.code()),
                    e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail(ExitCodes.CANCELLED, "cancelled");
        }
    }

    /**
     * A direct login as {@code mpft get} makes it: the ssh configuration's {@code HostName} and {@code User}, then
     * each of the {@link LoginCandidates} in turn while the server refuses the login (not the certificate).
     */
    private void listDirect(RemoteTarget remote)
            throws LoginSetup.Refused, LoginCandidates.Unusable, MpftException, InterruptedException {
        SshHostConfig host;
        try {
            host = SshHostConfig.resolve(sshConfig.file(env.home()), sshConfig.given(), remote.host(), env.home());
        } catch (IOException e) {
            throw new LoginSetup.Refused(ExitCodes.USAGE, e.getMessage());
        }
        String user = remote.user() != null ? remote.user() : host.user();
        PromptingHostKeys hosts = new PromptingHostKeys(knownHosts != null ? knownHosts
                : KnownHostsFile.defaultFile(env.home()), acceptNew, env.terminal(), env.err());
        org.mpft.transport.CertificateAuthorities authorities = LoginSetup.certificateAuthorities(ca);
        try (LoginCandidates login = LoginCandidates.of(env, identity, passwordEnv, passphraseEnv,
                host.identityFiles(), user + "@" + host.hostName())) {
            Credentials credentials = login.first(env);
            while (true) {
                try {
                    list(new ListingRequest(user, host.hostName(), remote.port(), credentials, hosts, authorities),
                            remote.path());
                    return;
                } catch (MpftException e) {
                    if (hosts.refusal() != null) {
                        throw hosts.refusal();
                    }
                    if (e.code() != ErrorCode.AUTHENTICATION_FAILED) {
                        throw e;
                    }
                    credentials = login.next();
                    if (credentials == null) {
                        throw e;
                    }
                }
            }
        }
    }

    /** Opens the listing and prints the folder. */
    private void list(ListingRequest request, String path)
            throws MpftException, InterruptedException {
        try (FileTransferClient client = new FileTransferClient();
             RemoteListing listing = client.openListing(request)) {
            list(listing, path);
        }
    }

    /**
     * The folder of a port-less target for the SSH form, with the same root and trailing-slash rules as
     * {@link #parseFolder(String)}; null when the text is not of the SSH form (it names a QUIC port).
     */
    static SshTarget sshFolder(String text) throws MpftException {
        String trimmed = withoutTrailingSlashes(text);
        for (String root : List.of(":", ":/", ":.", ":./")) {
            if (trimmed.endsWith(root)) {
                SshTarget parsed = SshTarget.parse(trimmed.substring(0, trimmed.length() - root.length() + 1) + "x");
                return parsed == null ? null : new SshTarget(parsed.user(), parsed.host(), "");
            }
        }
        return SshTarget.parse(trimmed);
    }

    private static String withoutTrailingSlashes(String text) {
        String trimmed = text;
        while (trimmed.endsWith("/") && !trimmed.endsWith(":/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return trimmed;
    }

    /**
     * The target with its folder: {@code host:}, {@code host:/} and {@code host:.} are the user's root
     * (path {@code ""}), a trailing {@code /} is dropped; anything else is a {@link RemoteTarget} path.
     */
    static RemoteTarget parseFolder(String text) throws RemoteTarget.SyntaxException, MpftException {
        String trimmed = withoutTrailingSlashes(text);
        for (String root : List.of(":", ":/", ":.", ":./")) {
            if (trimmed.endsWith(root)) {
                // RemoteTarget needs a file path: parse with a stand-in segment, then list the root
                String base = trimmed.substring(0, trimmed.length() - root.length() + 1);
                RemoteTarget parsed = RemoteTarget.parse(base + "x");
                return new RemoteTarget(parsed.user(), parsed.host(), parsed.port(), "");
            }
        }
        return RemoteTarget.parse(trimmed);
    }

    /**
     * Prints the folder's entries, and with -r those of every folder below: a folder's entries, then each
     * folder below it in name order (depth first). A folder is listed together with up to
     * {@value #LOOK_AHEAD} - 1 of the folders next in line, which the client library pipelines when the server
     * takes it; memory holds the entries of those folders, at most {@code --max-entries} of them.
     */
    private void list(RemoteListing listing, String path) throws MpftException, InterruptedException {
        PrintStream out = env.out();
        Deque<String> folders = new ArrayDeque<>();
        folders.push("");
        Map<String, List<ListingEntry>> ahead = new HashMap<>();
        int printed = 0;
        while (!folders.isEmpty()) {
            if (printed >= maxEntries) {
                throw new MpftException(ErrorCode.LIMIT_EXCEEDED, "stopped after " + maxEntries
                        + " entries (--max-entries)");
            }
            String prefix = folders.pop();
            List<ListingEntry> entries = ahead.remove(prefix);
            if (entries == null) {
                // a folder holding more than the entries left is refused by the client library (LIMIT_EXCEEDED)
                entries = listWithNext(listing, path, prefix, folders, ahead, maxEntries - printed);
            }
            Deque<String> below = new ArrayDeque<>();
            for (ListingEntry entry : entries) {
                String name = RemotePath.join(prefix, entry.name());
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

    /**
     * The entries of {@code prefix}, listed with those of the folders next on the stack that are not held
     * yet (kept in {@code ahead}, which holds {@value #LOOK_AHEAD} - 1 folders at most), {@code left} entries
     * in all with those held. When that listing is refused (one of the others is refused, or they are over
     * the bound together, which is said in their own turn) {@code prefix} is listed alone, so what is printed
     * and the error are those of listing one folder at a time.
     */
    private static List<ListingEntry> listWithNext(RemoteListing listing, String path, String prefix,
                                                   Deque<String> stack, Map<String, List<ListingEntry>> ahead,
                                                   int left) throws MpftException, InterruptedException {
        List<String> batch = new ArrayList<>();
        batch.add(prefix);
        for (String next : stack) {
            if (batch.size() + ahead.size() >= LOOK_AHEAD) {
                break;
            }
            if (!ahead.containsKey(next)) {
                batch.add(next);
            }
        }
        int held = ahead.values().stream().mapToInt(List::size).sum();
        if (batch.size() > 1 && left - held >= 1) {
            try {
                List<List<ListingEntry>> lists = listing.allOf(
                        batch.stream().map(p -> RemotePath.join(path, p)).toList(), left - held);
                for (int i = 1; i < batch.size(); i++) {
                    ahead.put(batch.get(i), lists.get(i));
                }
                return lists.get(0);
            } catch (MpftException e) {
                if (!RemoteListing.goesOn(e) && e.code() != ErrorCode.LIMIT_EXCEEDED) {
                    throw e;
                }
            }
        }
        return listing.all(RemotePath.join(path, prefix), left);
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
