package org.mpft.host;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real OpenSSH tools ({@code ssh-keygen}, {@code sftp}) for the tests. */
final class OpenSsh {

    /** The outcome of one command. */
    record Result(int exitCode, String output) {
    }

    private OpenSsh() {
    }

    /** Generates an Ed25519 key without passphrase; returns the private key file ({@code .pub} beside it). */
    static Path ed25519Key(Path dir, String name) throws IOException, InterruptedException {
        Path key = dir.resolve(name);
        Result r = run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", key.toString()));
        if (r.exitCode() != 0) {
            throw new IOException("ssh-keygen failed: " + r.output());
        }
        return key;
    }

    /** Runs {@code sftp -b} with {@code commands} as user@127.0.0.1:port, key login only. */
    static Result sftp(Path key, String user, int port, Path workDir, String... commands)
            throws IOException, InterruptedException {
        Path batch = Files.createTempFile(workDir, "batch", ".sftp");
        Files.writeString(batch, String.join("\n", commands) + "\n");
        return run(List.of("sftp", "-b", batch.toString(), "-F", "/dev/null", "-i", key.toString(),
                "-o", "IdentitiesOnly=yes", "-o", "IdentityAgent=none", "-o", "StrictHostKeyChecking=no",
                "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR", "-P", Integer.toString(port),
                user + "@127.0.0.1"), workDir);
    }

    static Result run(List<String> command) throws IOException, InterruptedException {
        return run(command, null);
    }

    private static Result run(List<String> command, Path workDir) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        if (workDir != null) {
            pb.directory(workDir.toFile());
        }
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + command);
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
