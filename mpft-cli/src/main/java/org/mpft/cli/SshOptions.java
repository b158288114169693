package org.mpft.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The options of {@code mpft get} that are handed to the system's {@code ssh} for the SSH bootstrap, named as
 * scp names them where they mean the same ({@code -o} is the output file in mpft, so ssh options are
 * {@code --ssh-option}). {@code -i KEY} is shared with the direct login: in the SSH form it goes to ssh.
 */
final class SshOptions {

    @Option(names = "-P", paramLabel = "PORT", description = "The SSH port of the host (SSH form; default: ssh's).")
    Integer port;

    /** The {@code -F} file ssh reads, or null for its default ({@code -F} is declared by {@link SshConfigOption}). */
    Path config;

    @Option(names = "-J", paramLabel = "JUMP", description = "Reach the host through this jump host (ssh -J; SSH form).")
    String jump;

    @Option(names = "--ssh-option", paramLabel = "OPTION",
            description = "An option for ssh, as ssh -o takes it; repeatable (SSH form).")
    List<String> options = new ArrayList<>();

    @Option(names = "--ssh", paramLabel = "PROGRAM", defaultValue = "ssh", description = "The ssh program (default: ${DEFAULT-VALUE}).")
    String program;

    /** True when an SSH-only option was given (they make no sense with a QUIC port in the target). */
    boolean any() {
        return port != null || config != null || jump != null || !options.isEmpty();
    }

    /**
     * The ssh command line: {@code ssh [-p PORT] [-i KEY] [-F CONFIG] [-J JUMP] [-o OPT]... DESTINATION ARGS...}.
     *
     * @param identity    the {@code -i} key, or null
     * @param destination {@code [user@]host}
     * @param args        what follows the destination (the remote command, or nothing)
     */
    List<String> command(Path identity, List<String> before, String destination, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(program);
        command.addAll(before);
        if (port != null) {
            command.add("-p");
            command.add(port.toString());
        }
        if (identity != null) {
            command.add("-i");
            command.add(identity.toString());
        }
        if (config != null) {
            command.add("-F");
            command.add(config.toString());
        }
        if (jump != null) {
            command.add("-J");
            command.add(jump);
        }
        for (String option : options) {
            command.add("-o");
            command.add(option);
        }
        command.add("--");
        command.add(destination);
        command.addAll(args);
        return command;
    }
}
