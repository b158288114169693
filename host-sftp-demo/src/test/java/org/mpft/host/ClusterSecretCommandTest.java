package org.mpft.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mpft-host cluster-secret FILE}: a new owner-only file of random bytes, never an overwrite. */
class ClusterSecretCommandTest {

    @TempDir
    Path dir;

    @Test
    void writesSixtyFourRandomBytesInANewOwnerOnlyFile() throws Exception {
        Path a = dir.resolve("a.secret");
        Path b = dir.resolve("b.secret");
        assertThat(HostMain.run("cluster-secret", a.toString())).isZero();
        assertThat(HostMain.run("cluster-secret", b.toString())).isZero();
        assertThat(Files.isRegularFile(a)).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(a))).isEqualTo("rw-------");
        assertThat(Files.readAllBytes(a)).hasSize(64).isNotEqualTo(Files.readAllBytes(b));
        assertThat(Files.getOwner(a).getName()).isEqualTo(System.getProperty("user.name"));
    }

    @Test
    void refusesToOverwriteAFile() throws Exception {
        Path existing = Files.writeString(dir.resolve("existing"), "keep me");
        assertThat(HostMain.run("cluster-secret", existing.toString())).isEqualTo(HostMain.EXIT_FAILURE);
        assertThat(Files.readString(existing)).isEqualTo("keep me");
    }

    @Test
    void neverWritesThroughASymbolicLink() throws Exception {
        Path victim = Files.writeString(dir.resolve("victim"), "keep me");
        Path link = Files.createSymbolicLink(dir.resolve("link"), victim);
        assertThat(HostMain.run("cluster-secret", link.toString())).isEqualTo(HostMain.EXIT_FAILURE);
        assertThat(Files.readString(victim)).isEqualTo("keep me");
        Path dangling = Files.createSymbolicLink(dir.resolve("dangling"), dir.resolve("nowhere"));
        assertThat(HostMain.run("cluster-secret", dangling.toString())).isEqualTo(HostMain.EXIT_FAILURE);
        assertThat(dir.resolve("nowhere")).doesNotExist();
    }
}
