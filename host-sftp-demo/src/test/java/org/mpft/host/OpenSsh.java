package org.mpft.host;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real OpenSSH tools ({@code ssh-keygen}, {@code sftp}) in tests: this module's and, through its
 * test-jar, the integration tests'.
 */
public final class OpenSsh {

    /**
     * The outcome of one command.
     *
     * @param exitCode the process's exit code
     * @param output   its standard output and error, merged
     */
    public record Result(int exitCode, String output) {
    }

    private OpenSsh() {
    }

    /**
     * Generates an Ed25519 key pair without passphrase.
     *
     * @return the private key file; the public key is beside it, with {@code .pub} appended
     */
    public static Path ed25519Key(Path dir, String name) throws IOException, InterruptedException {
        Path key = dir.resolve(name);
        Result r = run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", key.toString()), dir);
        if (r.exitCode() != 0) {
            throw new IOException("ssh-keygen failed: " + r.output());
        }
        return key;
    }

    /**
     * Runs OpenSSH {@code sftp -b} as {@code user@127.0.0.1:port} with key login only (batch mode asks no
     * password), in {@code workDir} (where {@code get} puts files).
     */
    public static Result sftp(Path key, String user, int port, Path workDir, String... commands)
            throws IOException, InterruptedException {
        Path batch = Files.createTempFile(workDir, "batch", ".sftp");
        Files.writeString(batch, String.join("\n", commands) + "\n");
        return run(List.of("sftp", "-b", batch.toString(), "-F", "/dev/null", "-i", key.toString(),
                "-o", "IdentitiesOnly=yes", "-o", "IdentityAgent=none", "-o", "StrictHostKeyChecking=no",
                "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR", "-P", Integer.toString(port),
                user + "@127.0.0.1"), workDir);
    }

    private static Result run(List<String> command, Path workDir) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + command);
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
