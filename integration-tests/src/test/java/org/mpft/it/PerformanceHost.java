package org.mpft.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mpft.cli.Credentials;
import org.mpft.cli.DownloadRequest;
import org.mpft.cli.HostKeyVerifier;
import org.mpft.protocol.Strategy;

/**
 * A host process with the real plugin (adaptive chunk size, default cache and compression settings) for the
 * cache and compression ITs, and what they share: requests, sample files, the plugin's per-transfer log lines.
 */
final class PerformanceHost implements AutoCloseable {


    /** One transfer line of the plugin ({@code org.mpft.transfers}). */
    record TransferLine(String file, long bytes, long cacheHits, long chunks, long disk, long wire, long compressed) {
    }

    private static final Pattern TRANSFER = Pattern.compile("transfer \\d+ done: user=\\S+ file=(\\S+) bytes=(\\d+) "
            + ".* cache=(\\d+)/(\\d+) disk=(\\d+) wire=(\\d+) compressed=(\\d+)");

    final HostProcess host;
    final int port;
    final String fingerprint;

    PerformanceHost(Path work, String... properties) throws Exception {
        HostProcess.Builder builder = HostProcess.builder(work.resolve("host"))
                .user(HostProcess.User.withPassword("alice", "secret-pw"))
                .withPlugin()
                .pluginProperty("mpft.bind", "127.0.0.1")
                .pluginProperty("mpft.port", Integer.toString(FreePorts.udp()));
        for (int i = 0; i < properties.length; i += 2) {
            builder.pluginProperty(properties[i], properties[i + 1]);
        }
        host = builder.start();
        HostProcess.MpftListener listener = host.awaitMpftListener(Duration.ofSeconds(30));
        assertThat(listener.role()).isEqualTo("primary");
        port = listener.port();
        fingerprint = listener.certificateSha256();
        Files.createDirectories(host.home("alice").resolve("data"));
    }

    DownloadRequest request(String remotePath, Path output, boolean compress) {
        HostKeyVerifier pinned = CertificatePins.trusting(fingerprint);
        return new DownloadRequest("alice", "127.0.0.1", port, remotePath, output,
                new Credentials.Password("secret-pw".toCharArray()), pinned, Strategy.SERVER_DEFAULT, false,
                DownloadRequest.DEFAULT_RETRIES, compress);
    }

    Path randomFile(String relative, int size, long seed) throws IOException {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return write(relative, bytes);
    }

    /** Log-like text: compresses to about a third. */
    Path textFile(String relative, int size, long seed) throws IOException {
        Random random = new Random(seed);
        String[] words = {"transfer", "chunk", "server", "client", "the", "of", "to", "bytes", "path", "window"};
        StringBuilder text = new StringBuilder(size + 200);
        while (text.length() < size) {
            text.append(1_764_000_000_000L + random.nextInt(1_000_000)).append(" INFO [mpft-io-")
                    .append(random.nextInt(4)).append("] ");
            for (int w = 0; w < 8; w++) {
                text.append(words[random.nextInt(words.length)]).append(' ');
            }
            text.append("n=").append(random.nextInt(100_000)).append('\n');
        }
        return write(relative, java.util.Arrays.copyOf(text.toString().getBytes(StandardCharsets.US_ASCII), size));
    }

    private Path write(String relative, byte[] bytes) throws IOException {
        Path file = host.home("alice").resolve(relative);
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
        return file;
    }

    /**
     * The plugin's "done" lines for {@code file}, oldest first, once there are at least {@code count} of them
     * (the line is logged just after the client has its last chunk).
     *
     * @throws TimeoutException when fewer come within {@link Poll#PATIENCE}
     */
    List<TransferLine> transfers(String file, int count) throws InterruptedException, TimeoutException {
        return Poll.value(count + " transfer lines of " + file, Poll.PATIENCE, () -> {
            List<TransferLine> lines = new ArrayList<>();
            Matcher m = TRANSFER.matcher(host.output());
            while (m.find()) {
                if (m.group(1).equals(file)) {
                    lines.add(new TransferLine(m.group(1), Long.parseLong(m.group(2)), Long.parseLong(m.group(3)),
                            Long.parseLong(m.group(4)), Long.parseLong(m.group(5)), Long.parseLong(m.group(6)),
                            Long.parseLong(m.group(7))));
                }
            }
            return lines.size() >= count ? lines : null;
        }, host::output);
    }

    @Override
    public void close() {
        host.close();
    }
}
