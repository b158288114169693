package org.mpft.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code mpft} command: {@code mpft get [OPTIONS] USER@HOST[:PORT]:PATH [-o OUTPUT]} downloads one
 * file over every path its server offers; {@code mpft ls [-l] [-r] USER@HOST[:PORT]:PATH} lists a folder;
 * {@code mpft known-hosts list|remove} shows and edits the pinned
 * server certificates. See {@code docs/CLI.md} for every option and the exit codes ({@link ExitCodes}).
 */
@Command(name = "mpft", mixinStandardHelpOptions = true, versionProvider = MpftCommand.Version.class,
        description = "Multi-path file downloads over QUIC.",
        subcommands = {GetCommand.class, LsCommand.class, KnownHostsCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Run 'mpft get --help' for the download options."})
public final class MpftCommand implements Callable<Integer> {

    /** The system property that turns netty's flight-recorder events on or off (netty's default: on). */
    static final String NETTY_JFR = "io.netty.jfr.enabled";

    @Spec
    private CommandSpec spec;

    MpftCommand() {
    }

    /** Nothing but the command name: show the usage and exit 2. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }

    /**
     * Runs the command and exits with its exit code.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        // netty's flight-recorder events: the first one initialises the recorder's metadata, about 60 ms of
        // the first connection's set-up, for events the command never records (-Dio.netty.jfr.enabled=true
        // keeps them)
        if (System.getProperty(NETTY_JFR) == null) {
            System.setProperty(NETTY_JFR, "false");
        }
        StartupWarmUp.startFor(args);
        System.exit(run(CliEnvironment.system(), args));
    }

    /** Runs the command in the given environment and returns the exit code. */
    static int run(CliEnvironment environment, String... args) {
        CommandLine commandLine = new CommandLine(MpftCommand.class, new CommandFactory(environment));
        commandLine.setOut(new PrintWriter(environment.out(), true));
        commandLine.setErr(new PrintWriter(environment.err(), true));
        commandLine.setParameterExceptionHandler((e, arguments) -> {
            PrintWriter err = e.getCommandLine().getErr();
            err.println("mpft: " + e.getMessage());
            err.println("Try '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help' for more.");
            err.flush();
            if (wantsJson(e.getCommandLine(), arguments)) {
                PrintWriter out = e.getCommandLine().getOut();
                out.println(JsonSummary.failure(ExitCodes.USAGE, e.getMessage()));
                out.flush();
            }
            return ExitCodes.USAGE;
        });
        commandLine.setExecutionExceptionHandler((e, cl, parseResult) -> {
            PrintWriter err = cl.getErr();
            err.println("mpft: internal error: " + e);
            err.flush();
            return ExitCodes.FAILURE;
        });
        return commandLine.execute(args);
    }

    /**
     * True when a usage error of {@code mpft get} is to be reported as JSON too: {@code --json} among its
     * arguments (before a {@code --} that ends the options), even when the parse itself failed.
     */
    private static boolean wantsJson(CommandLine failed, String[] arguments) {
        if (!(failed.getCommand() instanceof GetCommand)) {
            return false;
        }
        for (String argument : arguments) {
            if (argument.equals("--")) {
                return false;
            }
            if (argument.equals("--json")) {
                return true;
            }
        }
        return false;
    }

    /** The version from the jar's manifest, and the Java it runs on (which a launcher chose). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = MpftCommand.class.getPackage().getImplementationVersion();
            return new String[] {"mpft " + (version == null ? "(development build)" : version),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + "), "
                        + System.getProperty("java.home")};
        }
    }
}
