package org.mpft.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code -F FILE}: the OpenSSH client configuration to read instead of {@code ~/.ssh/config}, as {@code ssh -F}
 * and {@code scp -F}. Declared once here and mixed into every command that reads the configuration.
 */
final class SshConfigOption {

    @Option(names = "-F", paramLabel = "ssh_config",
            description = "Read this OpenSSH client configuration instead of ~/.ssh/config (its Host entries'"
                    + " HostName, User and IdentityFile).")
    private Path file;

    /** The file given with {@code -F}, else {@code HOME/.ssh/config}. */
    Path file(Path home) {
        return file != null ? file : home.resolve(".ssh").resolve("config");
    }

    /** True when {@code -F} was given (then the file must exist). */
    boolean given() {
        return file != null;
    }
}
