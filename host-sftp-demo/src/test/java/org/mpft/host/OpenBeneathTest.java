package org.mpft.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpft.api.InvalidPath;
import org.mpft.api.NoSuchFile;

/**
 * {@link HostFileAccess#openBeneath}: a file or a folder on the way that became a symbolic link after the
 * resolver checked the path is refused, never followed (the check-then-open race).
 */
class OpenBeneathTest {

    @TempDir
    Path dir;

    @Test
    void opensTheCheckedFile() throws Exception {
        Path home = Files.createDirectories(dir.resolve("home"));
        Path file = Files.createDirectories(home.resolve("a/b")).resolve("f");
        Files.writeString(file, "inside");
        long[] mtime = new long[1];
        try (FileChannel ch = HostFileAccess.openBeneath(home.toRealPath(), file.toRealPath(), "a/b/f", mtime)) {
            ByteBuffer buf = ByteBuffer.allocate(16);
            ch.read(buf, 0);
            assertThat(new String(buf.array(), 0, buf.position())).isEqualTo("inside");
        }
        assertThat(mtime[0]).isEqualTo(Files.getLastModifiedTime(file).toMillis());
    }

    @Test
    void aFileSwappedForALinkIsRefused() throws Exception {
        Path home = Files.createDirectories(dir.resolve("home"));
        Path outside = Files.writeString(dir.resolve("secret"), "CANARY");
        Path file = home.resolve("f");
        Path checked = home.toRealPath().resolve("f"); // what the resolver saw: a regular file
        Files.createSymbolicLink(file, outside);       // then swapped
        assertThatThrownBy(() -> HostFileAccess.openBeneath(home.toRealPath(), checked, "f", new long[1]))
                .isInstanceOf(InvalidPath.class);
    }

    @Test
    void aFolderOnTheWaySwappedForALinkIsRefused() throws Exception {
        Path home = Files.createDirectories(dir.resolve("home"));
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.writeString(outside.resolve("f"), "CANARY");
        Path checked = home.toRealPath().resolve("d/f");
        Files.createSymbolicLink(home.resolve("d"), outside);
        assertThatThrownBy(() -> HostFileAccess.openBeneath(home.toRealPath(), checked, "d/f", new long[1]))
                .isInstanceOf(InvalidPath.class);
    }

    @Test
    void aVanishedFileIsNoSuchFile() throws Exception {
        Path home = Files.createDirectories(dir.resolve("home"));
        assertThatThrownBy(() -> HostFileAccess.openBeneath(home.toRealPath(), home.toRealPath().resolve("x/f"), "x/f",
                new long[1])).isInstanceOf(NoSuchFile.class);
    }
}
