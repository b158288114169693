package org.mpft.cli;

import java.util.Objects;
import picocli.CommandLine;

/**
 * Makes the {@code mpft} command's objects for picocli, handing each subcommand the
 * {@link CliEnvironment} it runs in. The build's generators (picocli's {@code AutoComplete} and
 * {@code ManPageGenerator}, run from {@code mpft-cli/pom.xml}) instantiate it by name with its public
 * no-argument constructor, so they see the command tree exactly as {@code mpft} declares it.
 */
public final class CommandFactory implements CommandLine.IFactory {

    private final CliEnvironment environment;

    /** A factory for the real process ({@link CliEnvironment#system()}). */
    public CommandFactory() {
        this(CliEnvironment.system());
    }

    /** @param environment what the commands take from their process */
    CommandFactory(CliEnvironment environment) {
        this.environment = Objects.requireNonNull(environment, "environment");
    }

    /**
     * The object of a command class (with the environment for those that need one), or picocli's default
     * for anything else (converters, the help command).
     */
    @Override
    public <K> K create(Class<K> type) throws Exception {
        if (type == GetCommand.class) {
            return type.cast(new GetCommand(environment));
        }
        if (type == LsCommand.class) {
            return type.cast(new LsCommand(environment));
        }
        if (type == KnownHostsCommand.class) {
            return type.cast(new KnownHostsCommand(environment));
        }
        if (type == MpftCommand.class) {
            return type.cast(new MpftCommand());
        }
        return CommandLine.defaultFactory().create(type);
    }
}
