package org.mpft.example;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.apache.sshd.server.SshServer;
import org.mpft.sshd.MpftSshd;

/**
 * {@code mpft-example-sshd}: the example SFTP server with the mpft channel, through {@code mpft-sshd}.
 *
 * <pre>
 * mpft-example-sshd --sftp-port P --quic-port Q --root DIR --users FILE
 *                   [--plugins DIR] [--state DIR] [--bind ADDR]
 * mpft-example-sshd hash-password        (reads a password from standard input, prints its hash)
 * </pre>
 *
 * <p>{@code --plugins} defaults to {@code plugins}, {@code --state} (the SSH host key and the plugins'
 * data) to {@code state}, {@code --bind} (SFTP and the mpft channel) to {@code 127.0.0.1}. Once both run it
 * prints one line: {@code mpft-example-sshd ready sftp=<bind>:<port> channels=[...]}. SIGTERM or Ctrl-C stop
 * it. Exit codes: 0 stopped cleanly, 2 bad command line, 1 failure at start.
 */
public final class EmbeddedSshd {

    private static final String USAGE = "usage: mpft-example-sshd --sftp-port P --quic-port Q --root DIR --users FILE"
            + " [--plugins DIR] [--state DIR] [--bind ADDR]\n       mpft-example-sshd hash-password";
    private static final List<String> OPTIONS =
            List.of("--sftp-port", "--quic-port", "--root", "--users", "--plugins", "--state", "--bind");

    private EmbeddedSshd() {
    }

    /**
     * Runs the server until the process is stopped.
     *
     * @param args the command line
     */
    public static void main(String[] args) throws Exception {
        if (args.length == 1 && args[0].equals("hash-password")) {
            char[] password = new String(System.in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
                    .strip().toCharArray();
            System.out.println(PasswordHash.hash(password));
            return;
        }
        Map<String, String> opts = parse(args);
        if (opts == null) {
            System.err.println(USAGE);
            System.exit(2);
        }
        String bind = opts.getOrDefault("--bind", "127.0.0.1");
        Path state = Path.of(opts.getOrDefault("--state", "state"));
        ExampleUsers users = ExampleUsers.read(Path.of(opts.get("--users")));

        // the wiring: an ordinary MINA SSHD server, then mpft on its authenticators and file system view
        SshServer sshd = ExampleServer.create(users, Path.of(opts.get("--root")),
                Files.createDirectories(state).resolve("ssh-host.key"), bind, Integer.parseInt(opts.get("--sftp-port")));
        sshd.start();
        MpftSshd mpft = MpftSshd.builder(sshd)
                .pluginsDir(Path.of(opts.getOrDefault("--plugins", "plugins")))
                .stateDir(state.resolve("plugins"))
                .knownUsers(users::contains)
                .pluginProperty("mpft.bind", bind)
                .pluginProperty("mpft.port", opts.get("--quic-port"))
                .start();
        // ssh alice@host mpft-offer: the session offer of the SSH form of 'mpft get'; no other exec
        sshd.setCommandFactory(mpft.offerCommands());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            mpft.close();
            try {
                sshd.stop(true);
            } catch (java.io.IOException e) {
                System.err.println("mpft-example-sshd: stopping SFTP: " + e);
            }
            stopped.countDown();
        }, "mpft-example-sshd-shutdown"));
        System.out.println("mpft-example-sshd ready sftp=" + bind + ":" + sshd.getPort() + " channels=" + mpft.channels());
        System.out.flush();
        stopped.await();
    }

    /** The options by name, or null when the command line is malformed or misses a required option. */
    static Map<String, String> parse(String[] args) {
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!OPTIONS.contains(args[i]) || i + 1 >= args.length) {
                return null;
            }
            opts.put(args[i], args[i + 1]);
        }
        List<String> missing = new ArrayList<>(List.of("--sftp-port", "--quic-port", "--root", "--users"));
        missing.removeAll(opts.keySet());
        if (!missing.isEmpty()) {
            return null;
        }
        try {
            Integer.parseInt(opts.get("--sftp-port"));
            Integer.parseInt(opts.get("--quic-port"));
        } catch (NumberFormatException e) {
            return null;
        }
        return opts;
    }
}
