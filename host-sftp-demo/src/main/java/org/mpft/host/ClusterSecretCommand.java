package org.mpft.host;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code mpft-host cluster-secret FILE}: makes a cluster secret for {@code mpft.cluster.secret-file}:
 * {@value #BYTES} bytes from {@link SecureRandom} in a new file that is created with mode 600 (so no
 * other user can open it, not even between its creation and the write) and owned by the user running the
 * command. An existing file, or a symbolic link, at {@code FILE} is never overwritten or followed: the command
 * stops with exit code {@link HostMain#EXIT_FAILURE}. Copy the same file to the primary and its secondaries.
 */
@Command(name = "cluster-secret", mixinStandardHelpOptions = true,
        description = "Write a new random cluster secret (mode 600) for mpft.cluster.secret-file; never overwrites.")
final class ClusterSecretCommand implements Callable<Integer> {

    /** The secret's length, bytes (the plugin requires at least 32). */
    static final int BYTES = 64;

    @Parameters(index = "0", paramLabel = "FILE", description = "the new secret file; must not exist")
    Path file;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        try {
            write(file);
        } catch (FileAlreadyExistsException e) {
            err.println("mpft-host: cluster-secret: " + file + " already exists; not overwritten (remove it first"
                    + " to replace the secret on every instance of the cluster)");
            err.flush();
            return HostMain.EXIT_FAILURE;
        } catch (IOException e) {
            err.println("mpft-host: cluster-secret: cannot write " + file + ": " + e);
            err.flush();
            return HostMain.EXIT_FAILURE;
        }
        spec.commandLine().getOut().println("mpft-host: wrote a " + BYTES + "-byte cluster secret to " + file
                + " (mode 600); set mpft.cluster.secret-file to it on the primary and its secondaries");
        spec.commandLine().getOut().flush();
        return 0;
    }

    /**
     * Creates {@code target} (which must not exist) with mode 600 and writes a new secret into it.
     *
     * @throws FileAlreadyExistsException when anything, a symbolic link included, is at {@code target}
     */
    static void write(Path target) throws IOException {
        try {
            Files.createFile(target, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(target); // not a POSIX file system: its own access rules apply
        }
        byte[] secret = new byte[BYTES];
        new SecureRandom().nextBytes(secret);
        try (FileChannel out = FileChannel.open(target, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            ByteBuffer buffer = ByteBuffer.wrap(secret);
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
            out.force(true);
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }
}
