package org.mpft.host;

import org.mpft.sshd.ChannelLoader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code mpft-host} command: {@code mpft-host --config FILE} runs the SFTP server with its plugins
 * until the process is stopped (SIGTERM or Ctrl-C stop it cleanly); {@code mpft-host user add|del|list}
 * administers the users file; {@code mpft-host check-config --config FILE} checks a configuration and the
 * plugins' settings without starting anything; {@code mpft-host cluster-secret FILE} writes a new cluster secret for the plugin.
 *
 * <p>Exit codes: 0 success, 1 failure at run time, 2 bad command line or configuration (the message
 * names the key).
 */
@Command(name = "mpft-host", mixinStandardHelpOptions = true, version = "mpft-host 0.1.0",
        description = "Reference SFTP host for the mpft transfer-channel plugin.",
        subcommands = {UserCommand.class, CheckConfigCommand.class, ClusterSecretCommand.class})
public final class HostMain implements Callable<Integer> {

    /** Exit code for a bad command line or configuration. */
    static final int EXIT_CONFIG = 2;
    /** Exit code for a failure at run time. */
    static final int EXIT_FAILURE = 1;

    @Option(names = "--config", paramLabel = "FILE", description = "the host's config file (Java properties)")
    private Path config;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /** Not instantiated by callers; picocli creates it. */
    HostMain() {
    }

    /**
     * Runs the command and exits with its exit code.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /**
     * Runs the command without exiting.
     *
     * @param args the command line
     * @return the exit code
     */
    static int run(String... args) {
        CommandLine cli = new CommandLine(new HostMain());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("mpft-host: " + ChannelLoader.describe(e));
            return EXIT_FAILURE;
        });
        return cli.execute(args);
    }

    @Override
    public Integer call() throws Exception {
        if (config == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "Missing required option: '--config=FILE'");
        }
        PrintWriter err = spec.commandLine().getErr();
        Host host;
        try {
            host = Host.start(HostSettings.load(config));
        } catch (SettingsException e) {
            err.println("mpft-host: config " + config + ": " + e.getMessage());
            err.flush();
            return EXIT_CONFIG;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            host.close();
            stopped.countDown();
        }, "mpft-host-shutdown"));
        // the one line that scripts and tests wait for
        System.out.println(host.readyLine());
        System.out.flush();
        stopped.await();
        return 0;
    }
}
