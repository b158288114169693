package org.mpft.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.mpft.client.Credentials;
import org.mpft.client.DownloadRequest;
import org.mpft.client.KnownHostsFile;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.MpftException;
import org.mpft.protocol.RemotePath;
import org.mpft.protocol.Strategy;
import org.mpft.transport.CertificateAuthorities;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code mpft get}: downloads one file ({@link SingleGet}) or many ({@link BatchGet}). Every option is described
 * in {@code docs/CLI.md}.
 */
@Command(name = "get", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Download a file over every path its server offers, checking every chunk.",
            "Resumes a partial download (<output>.mpft-part + .mpft-state) unless --no-resume.",
            "With several SRCs, a pattern, -r or -p: many files in one run, each reported; the exit code is the"
                + " worst of theirs."},
        footer = {"", "Exit codes: 0 ok, 1 other failure, 2 usage or invalid path,",
            "  3 authentication failed or certificate refused, 4 no such file,",
            "  5 access denied or file too large, 6 not enough disk space,",
            "  7 server unavailable/timeout/limit, 8 integrity failure, 130 cancelled."})
final class GetCommand implements Callable<Integer> {

    private final CliEnvironment env;

    @Spec
    private CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "SRC... [DEST]",
            description = {"Each SRC is [USER@]HOST[:PORT]:PATH: PATH is relative to the user's root on the server"
                    + " (a leading '/' means the same) and may hold the patterns * ? [...] (expanded against the"
                    + " server's listings); IPv6 as [::1]. Without a port, ssh asks HOST for a session offer (SSH"
                    + " form); with a port, or with --direct (port 7300 by default), mpft logs in directly over QUIC."
                    + " HOST may be a Host alias of the ssh configuration; USER defaults to its User, else the local"
                    + " user name. One host per run.",
                "DEST (after two or more arguments) is the local file when one file is fetched, else a folder"
                    + " (created by -r)."})
    private java.util.List<String> arguments;

    private String target;

    @Option(names = "-r", description = "Fetch folders with everything below them, keeping their relative paths.")
    private boolean recursive;

    @Option(names = "-p", description = "Give each file its server's permission bits too (the modification time"
            + " is always kept).")
    private boolean preserveModes;

    @Option(names = "--sessions", paramLabel = "N", defaultValue = "4",
            description = "Many files: logged-in sessions fetching files at once, 1 to 16 (default: ${DEFAULT-VALUE}).")
    private int sessions;

    @Option(names = "--files-per-session", paramLabel = "N", defaultValue = "4",
            description = "Many files: files in flight at once on each session, 1 to 16, each on a stream of its own"
            + " (a server without transfer streams gets them one after another) (default: ${DEFAULT-VALUE}).")
    private int filesPerSession;

    @Option(names = "--fail-fast", description = "Many files: stop at the first file that fails (default: report it"
            + " and go on with the others).")
    private boolean failFast;

    @Mixin
    private SshOptions sshOptions = new SshOptions();

    @Option(names = {"-o", "--output"}, paramLabel = "OUTPUT",
            description = "Where to write the file: a file name, or an existing folder (default: the remote file"
                    + " name in the current folder).")
    private Path output;

    @Option(names = "--password-env", paramLabel = "VAR",
            description = "Read the password from environment variable VAR.")
    private String passwordEnv;

    @Option(names = {"-i", "--identity"}, paramLabel = "KEYFILE",
            description = "The private key (OpenSSH, PEM or PKCS#8; Ed25519, RSA or ECDSA): ssh logs in with it"
                    + " (SSH form), or mpft does with it only (direct login). Without -i and --password-env, a"
                    + " direct login tries the ssh-agent's keys, then the ssh configuration's IdentityFile or"
                    + " ~/.ssh/id_ed25519, id_ecdsa, id_rsa, then the password prompt.")
    private Path identity;

    @Option(names = "--direct", description = "Log in directly over QUIC at the target's port (default 7300),"
            + " as the USER@HOST:PORT:PATH form always does.")
    private boolean direct;

    @Mixin
    private SshConfigOption sshConfig = new SshConfigOption();

    @Option(names = "--passphrase-env", paramLabel = "VAR",
            description = "Read the passphrase of an encrypted -i key from environment variable VAR"
                    + " (default: ask on the terminal).")
    private String passphraseEnv;

    @Option(names = "--known-hosts", paramLabel = "FILE",
            description = "Pinned server certificates (default: ~/.mpft/known_hosts).")
    private Path knownHosts;

    @Option(names = "--accept-new",
            description = "Trust and pin an unknown server's certificate without asking. A changed certificate"
                    + " is always refused.")
    private boolean acceptNew;

    @Option(names = "--ca", paramLabel = "FILE|system",
            description = "Verify the server's certificate against these certificate authorities (a PEM bundle, or"
                    + " 'system' for the JDK's default trust store) and the host name typed, instead of pinning it"
                    + " in --known-hosts.")
    private String ca;

    @Option(names = "--strategy", paramLabel = "alternate|adaptive",
            description = "How chunks are spread over the paths (default: the server's setting).")
    private String strategy;

    @Option(names = "--no-resume", description = "Discard any partial download and start over.")
    private boolean noResume;

    @Option(names = "--retries", paramLabel = "N", defaultValue = "3",
            description = "Fetch a chunk again up to N times before moving it to another path (default: ${DEFAULT-VALUE}).")
    private int retries;

    @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "60",
            description = "When the server is busy (its sessions are full), keep trying again with back-off for up"
                    + " to SECONDS before failing (default: ${DEFAULT-VALUE}; 0 = fail at once).")
    private long waitSeconds;

    @Option(names = "--compress", description = "Ask for per-chunk compression where it shrinks the chunk.")
    private boolean compress;

    @Option(names = "--json",
            description = "Print one JSON summary object as the last line of standard output.")
    private boolean json;

    @Option(names = "--expect-sha256", paramLabel = "HEX",
            description = "Fail with exit 8 unless the downloaded file's SHA-256 is HEX (64 hex digits); a file that"
                    + " differs is removed and never appears under the output's name.")
    private String expectSha256;

    @Option(names = "--progress", description = "Show the progress bar even when standard error is not a terminal"
            + " (default: the bar on a terminal, else a plain line every 5 s).")
    private boolean progress;

    @Option(names = {"-q", "--quiet"}, description = "No progress and no summary line; errors only.")
    private boolean quiet;

    @Option(names = {"-v", "--verbose"}, arity = "0",
            description = "More detail: the client's INFO log on stderr (restarts, retries, lost paths), chunk"
                    + " indices per path in --json, stack traces on errors; -vv the client's DEBUG log.")
    private boolean[] verbosity = new boolean[0];

    GetCommand(CliEnvironment env) {
        this.env = Objects.requireNonNull(env, "env");
    }

    /** A failure before the download starts, with its exit code. */
    private static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        final int exitCode;

        Refused(int exitCode, String message) {
            super(message);
            this.exitCode = exitCode;
        }
    }

    @Override
    public Integer call() {
        LogLevels.apply(quiet, verbosity.length);
        if (arguments == null || arguments.isEmpty() || arguments.get(0).isEmpty()) {
            throw new ParameterException(spec.commandLine(), "missing the file to download: [USER@]HOST:PATH");
        }
        if (sessions < 1 || sessions > org.mpft.client.BatchRequest.MAX_SESSIONS) {
            throw new ParameterException(spec.commandLine(), "--sessions must be 1 to "
                    + org.mpft.client.BatchRequest.MAX_SESSIONS + ", got " + sessions);
        }
        if (filesPerSession < 1 || filesPerSession > org.mpft.client.BatchRequest.MAX_TRANSFERS_PER_SESSION) {
            throw new ParameterException(spec.commandLine(), "--files-per-session must be 1 to "
                    + org.mpft.client.BatchRequest.MAX_TRANSFERS_PER_SESSION + ", got " + filesPerSession);
        }
        target = arguments.get(0);
        if (arguments.size() >= 2 && output != null) {
            throw new ParameterException(spec.commandLine(), "give either DEST or -o OUTPUT, not both");
        }
        boolean many = recursive || preserveModes || arguments.size() > 2 || BatchTargets.hasPattern(target);
        if (many && expectSha256 != null) {
            throw new ParameterException(spec.commandLine(), "--expect-sha256 checks one file: not with several"
                    + " files, a pattern, -r or -p");
        }
        if (arguments.size() == 2) {
            output = Path.of(arguments.get(1));
        }
        if (retries < 0) {
            throw new ParameterException(spec.commandLine(), "--retries must be 0 or more, got " + retries);
        }
        if (waitSeconds < 0 || waitSeconds > 86_400) {
            throw new ParameterException(spec.commandLine(), "--wait must be 0 to 86400 seconds, got " + waitSeconds);
        }
        if (identity != null && passwordEnv != null) {
            throw new ParameterException(spec.commandLine(), "give either -i KEYFILE or --password-env VAR, not both");
        }
        Strategy chosen = Strategy.SERVER_DEFAULT;
        if (strategy != null) {
            try {
                chosen = Strategy.fromSetting(strategy);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--strategy: " + e.getMessage());
            }
        }
        ExpectedDigest expected = null;
        if (expectSha256 != null) {
            try {
                expected = ExpectedDigest.parse(expectSha256);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--expect-sha256: " + e.getMessage());
            }
        }
        LoginCandidates login = null;
        try {
            boolean sshForm = !LoginForm.direct(direct, passwordEnv, passphraseEnv, knownHosts, acceptNew, ca);
            if (many) {
                BatchTargets sources = BatchTargets.parse(arguments.size() == 1 ? arguments : arguments.subList(0,
                        arguments.size() - 1), sshForm);
                Path dest = (arguments.size() > 2 ? Path.of(arguments.get(arguments.size() - 1))
                        : output != null ? output : Path.of("")).toAbsolutePath();
                SshHostConfig host = sources.direct() == null ? null : sshHost(sources.direct());
                String user = host == null ? null : sources.direct().user() != null ? sources.direct().user() : host.user();
                login = host == null ? null : LoginCandidates.of(env, identity, passwordEnv, passphraseEnv,
                        host.identityFiles(), user + "@" + host.hostName());
                return new BatchGet(env, new BatchGet.Options(sources.paths(), dest, recursive, preserveModes, sessions,
                        filesPerSession, failFast, !noResume, json, quiet, progress, verbose()))
                        .run(batchLogin(sources, host, user, login, dest, chosen));
            }
            SshTarget viaSsh = sshForm ? SshTarget.parse(target) : null;
            if (viaSsh != null) {
                sshOptions.config = sshConfig.given() ? sshConfig.file(env.home()) : null;
                Path file = resolveOutput(viaSsh.fileName());
                return single().download(new SshBootstrap(sshOptions, identity).request(viaSsh, expected == null ? file
                        : ExpectedDigest.unverified(file), chosen, !noResume, retries, compress,
                        java.time.Duration.ofSeconds(waitSeconds), expected != null), null, file, expected, null);
            }
            RemoteTarget remote = parseTarget();
            Path file = resolveOutput(remote.fileName());
            SshHostConfig host = sshHost(remote);
            String user = remote.user() != null ? remote.user() : host.user();
            login = LoginCandidates.of(env, identity, passwordEnv, passphraseEnv, host.identityFiles(),
                    user + "@" + host.hostName());
            Credentials credentials = login.first(env);
            PromptingHostKeys hosts = new PromptingHostKeys(knownHosts != null ? knownHosts
                    : KnownHostsFile.defaultFile(env.home()), acceptNew, env.terminal(), env.err());
            DownloadRequest request = new DownloadRequest(user, host.hostName(), remote.port(), remote.path(),
                    expected == null ? file : ExpectedDigest.unverified(file), credentials, hosts, chosen, !noResume,
                    retries, compress, java.time.Duration.ofSeconds(waitSeconds), certificateAuthorities(),
                    expected != null); // the expected digest is compared with one hashed here, not the primary's
            return single().download(request, hosts, file, expected, login);
        } catch (Refused e) {
            return fail(e.exitCode, e.getMessage());
        } catch (BatchTargets.Mixed | RemoteTarget.SyntaxException e) {
            return fail(ExitCodes.USAGE, e.getMessage());
        } catch (LoginCandidates.Unusable e) {
            return fail(e.exitCode, e.getMessage());
        } catch (MpftException e) {
            return fail(ExitCodes.of(e.code()), e.getMessage());
        } finally {
            if (login != null) {
                login.close();
            }
        }
    }

    /**
     * The many-file path's login: in the SSH form a session offer for each login it needs; in the direct form the
     * first of the login candidates, then the next after each refused login.
     */
    private BatchGet.Login batchLogin(BatchTargets sources, SshHostConfig host, String user, LoginCandidates login,
                                      Path dest, Strategy chosen) throws Refused, LoginCandidates.Unusable {
        java.time.Duration wait = java.time.Duration.ofSeconds(waitSeconds);
        if (sources.ssh() != null) {
            sshOptions.config = sshConfig.given() ? sshConfig.file(env.home()) : null;
            // one token for the listing's login and one for each session of the batch
            SshBootstrap bootstrap = new SshBootstrap(sshOptions, identity, Math.min(16, sessions + 1));
            return new BatchGet.Login() {
                @Override
                public DownloadRequest connection() throws MpftException {
                    return bootstrap.request(sources.ssh(), dest, chosen, !noResume, retries, compress, wait, false);
                }

                @Override
                public Credentials next() {
                    return null;
                }

                @Override
                public boolean certificateRefused() {
                    return false;
                }
            };
        }
        PromptingHostKeys hosts = new PromptingHostKeys(knownHosts != null ? knownHosts
                : KnownHostsFile.defaultFile(env.home()), acceptNew, env.terminal(), env.err());
        DownloadRequest template = new DownloadRequest(user, host.hostName(), sources.direct().port(),
                sources.direct().path(), dest, login.first(env), hosts, chosen, !noResume, retries, compress,
                wait, certificateAuthorities());
        return new BatchGet.Login() {
            @Override
            public DownloadRequest connection() {
                return template;
            }

            @Override
            public Credentials next() throws MpftException {
                try {
                    return login.next();
                } catch (LoginCandidates.Unusable e) {
                    throw new MpftException(ErrorCode.AUTHENTICATION_FAILED, e.getMessage());
                }
            }

            @Override
            public boolean certificateRefused() {
                return hosts.refusal() != null;
            }
        };
    }

    /** What the ssh configuration ({@code -F} or {@code ~/.ssh/config}) says about the target's host. */
    private SshHostConfig sshHost(RemoteTarget remote) throws Refused {
        try {
            return SshHostConfig.resolve(sshConfig.file(env.home()), sshConfig.given(), remote.host(), env.home());
        } catch (IOException e) {
            throw new Refused(ExitCodes.USAGE, e.getMessage());
        }
    }

    /** The authorities of {@code --ca}, or null to pin. */
    private CertificateAuthorities certificateAuthorities() throws Refused {
        try {
            return LoginSetup.certificateAuthorities(ca);
        } catch (LoginSetup.Refused e) {
            throw new Refused(e.exitCode, e.getMessage());
        }
    }

    private RemoteTarget parseTarget() throws Refused, MpftException {
        try {
            return RemoteTarget.parse(target);
        } catch (RemoteTarget.SyntaxException e) {
            throw new Refused(ExitCodes.USAGE, e.getMessage());
        }
    }

    /** The output file; a name taken from the remote path must be a valid local file name. */
    private Path resolveOutput(String remoteName) throws Refused, MpftException {
        Path folder;
        if (output == null) {
            folder = Path.of("").toAbsolutePath();
        } else if (Files.isDirectory(output) || output.toString().endsWith("/")) {
            folder = output.toAbsolutePath();
        } else {
            Path file = output.toAbsolutePath().normalize();
            Path parent = file.getParent();
            if (parent == null || !Files.isDirectory(parent)) {
                throw new Refused(ExitCodes.USAGE, "the folder of " + output + " does not exist");
            }
            return file;
        }
        if (!Files.isDirectory(folder)) {
            throw new Refused(ExitCodes.USAGE, "the folder " + folder + " does not exist");
        }
        String name = RemotePath.validateFileName(remoteName);
        return folder.resolve(name).normalize();
    }

    private int fail(int exitCode, String message) {
        return fail(exitCode, message, null);
    }

    private int fail(int exitCode, String message, Throwable cause) {
        return FailureReport.print(env, json, verbose(), exitCode, message, cause);
    }

    /** The single-file side, with this command's reporting options. */
    private SingleGet single() {
        return new SingleGet(env, json, quiet, progress, verbose());
    }

    private boolean verbose() {
        return verbosity.length > 0;
    }

    private static String describe(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName().equals("NoSuchFileException")
                ? "no such file " + e.getMessage() : e.getMessage();
    }
}
