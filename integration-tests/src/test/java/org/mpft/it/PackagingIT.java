package org.mpft.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The admin's packaging of the reference host ({@code host-sftp-demo/packaging}): the systemd unit passes
 * {@code systemd-analyze verify}, and every file the Containerfile copies is one the build produced, one file
 * per {@code COPY}. No container is built here: the build machines run no container daemon.
 */
@Timeout(120)
class PackagingIT {

    private static final Path ROOT = Path.of(System.getProperty(HostProcess.REPO_ROOT_PROPERTY, ".."))
            .toAbsolutePath().normalize();
    private static final Path PACKAGING = ROOT.resolve("host-sftp-demo/packaging");

    @Test
    void theSystemdUnitVerifies() throws Exception {
        assumeTrue(onPath("systemd-analyze"), "systemd-analyze is not installed");
        Process verify = new ProcessBuilder("systemd-analyze", "verify", PACKAGING.resolve("mpft-host.service")
                .toString()).redirectErrorStream(true).start();
        String output = new String(verify.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(verify.waitFor(60, TimeUnit.SECONDS)).isTrue();
        // a unit with a typo, an unknown key or a missing ExecStart binary is reported here (and exits non-zero)
        assertThat(verify.exitValue()).as(output).isZero();
        assertThat(output.lines().filter(l -> l.contains("mpft-host.service"))).as(output).isEmpty();
    }

    @Test
    void everyCopyOfTheContainerfileTakesOneBuiltFile() throws IOException {
        List<String> copies = Files.readAllLines(PACKAGING.resolve("Containerfile")).stream()
                .filter(l -> l.startsWith("COPY ")).toList();
        assertThat(copies).hasSize(4);
        for (String copy : copies) {
            String source = copy.split("\\s+")[1];
            assertThat(matches(source)).as(copy).hasSize(1);
        }
    }

    /** The files under the repository root that a COPY source (a path with {@code *} in its last part) names. */
    private static List<Path> matches(String source) throws IOException {
        Path relative = Path.of(source);
        Path folder = ROOT.resolve(relative.getParent() == null ? Path.of(".") : relative.getParent()).normalize();
        PathMatcher glob = FileSystems.getDefault().getPathMatcher("glob:" + relative.getFileName());
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> Files.isRegularFile(f) && glob.matches(f.getFileName())).toList();
        }
    }

    private static boolean onPath(String command) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, command)));
    }
}
