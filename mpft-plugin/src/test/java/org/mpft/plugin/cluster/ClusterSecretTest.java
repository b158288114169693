package org.mpft.plugin.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpft.api.ChannelStartException;

class ClusterSecretTest {

    private static final String KEY = "mpft.cluster.secret-file";

    @TempDir
    Path dir;

    private Path write(String name, String content, String mode) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, content, StandardCharsets.US_ASCII);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        return file;
    }

    @Test
    void loadsAndStripsTrailingWhitespace() throws Exception {
        String text = "0123456789abcdef0123456789abcdef";
        Path file = write("secret", text + "\n", "rw-------");
        ClusterSecret loaded = ClusterSecret.load(file, dir, KEY);
        ClusterSecret same = ClusterSecret.of(text.getBytes(StandardCharsets.US_ASCII));
        assertThat(loaded.hmac(new byte[] {1, 2})).isEqualTo(same.hmac(new byte[] {1, 2}));
        assertThat(loaded.toString()).doesNotContain(text);
    }

    @Test
    void resolvesRelativePathAgainstTheDataFolder() throws Exception {
        write("rel-secret", "x".repeat(40), "rw-------");
        assertThat(ClusterSecret.load(Path.of("rel-secret"), dir, KEY)).isNotNull();
    }

    @Test
    void refusesShortSecretNamingTheKey() throws Exception {
        Path file = write("short", "x".repeat(31) + "\n\n", "rw-------");
        assertThatThrownBy(() -> ClusterSecret.load(file, dir, KEY))
                .isInstanceOf(ChannelStartException.class)
                .hasMessageContaining(KEY).hasMessageContaining("31 bytes").hasMessageContaining("at least 32");
    }

    @Test
    void refusesWorldReadableFile() throws Exception {
        Path file = write("open", "x".repeat(64), "rw-r--r--");
        assertThatThrownBy(() -> ClusterSecret.load(file, dir, KEY))
                .isInstanceOf(ChannelStartException.class)
                .hasMessageContaining(KEY).hasMessageContaining("chmod 600");
    }

    @Test
    void refusesGroupReadableOrWritableFile() throws Exception {
        for (String mode : new String[] {"rw-r-----", "rw--w----", "rw-----w-", "rw------x"}) {
            Path file = write("group-" + mode, "x".repeat(64), mode);
            assertThatThrownBy(() -> ClusterSecret.load(file, dir, KEY))
                    .isInstanceOf(ChannelStartException.class)
                    .hasMessageContaining(KEY).hasMessageContaining(file.toString())
                    .hasMessageContaining(mode).hasMessageContaining("chmod 600");
        }
    }

    @Test
    void acceptsOwnerOnlyModes() throws Exception {
        assertThat(ClusterSecret.load(write("ro", "x".repeat(64), "r--------"), dir, KEY)).isNotNull();
    }

    @Test
    void refusesSymbolicLinkEvenToAGoodFile() throws Exception {
        Path target = write("target", "x".repeat(64), "rw-------");
        Path link = Files.createSymbolicLink(dir.resolve("link"), target);
        assertThatThrownBy(() -> ClusterSecret.load(link, dir, KEY))
                .isInstanceOf(ChannelStartException.class)
                .hasMessageContaining(KEY).hasMessageContaining(link.toString())
                .hasMessageContaining("symbolic link");
    }

    @Test
    void refusesADirectory() throws Exception {
        Path sub = Files.createDirectory(dir.resolve("sub"));
        assertThatThrownBy(() -> ClusterSecret.load(sub, dir, KEY))
                .isInstanceOf(ChannelStartException.class)
                .hasMessageContaining(KEY).hasMessageContaining("not a regular file");
    }

    @Test
    void refusesFileOwnedByAnotherUser() throws Exception {
        Path file = write("theirs", "x".repeat(64), "rw-------");
        UserPrincipalLookupService users = file.getFileSystem().getUserPrincipalLookupService();
        UserPrincipal other;
        try {
            other = users.lookupPrincipalByName("nobody");
            Files.setOwner(file, other);
        } catch (IOException e) {
            // only a privileged user can give a file away; without one there is nothing to test here
            Assumptions.abort("cannot chown to nobody: " + e);
            return;
        }
        assertThatThrownBy(() -> ClusterSecret.load(file, dir, KEY))
                .isInstanceOf(ChannelStartException.class)
                .hasMessageContaining(KEY).hasMessageContaining(file.toString())
                .hasMessageContaining("owned by nobody");
    }

    @Test
    void refusesMissingFile() {
        assertThatThrownBy(() -> ClusterSecret.load(dir.resolve("nope"), dir, KEY))
                .isInstanceOf(ChannelStartException.class)
                .hasMessageContaining(KEY).hasMessageContaining("no such");
    }

    @Test
    void derivedKeysDifferPerPurposeAndSecret() {
        ClusterSecret a = ClusterSecret.of("a".repeat(32).getBytes(StandardCharsets.US_ASCII));
        ClusterSecret b = ClusterSecret.of("b".repeat(32).getBytes(StandardCharsets.US_ASCII));
        assertThat(a.derive("ticket-v1")).hasSize(32).isNotEqualTo(a.derive("other"));
        assertThat(a.derive("ticket-v1")).isNotEqualTo(b.derive("ticket-v1"));
        assertThatThrownBy(() -> ClusterSecret.of(new byte[31])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void macEqualsComparesContent() {
        assertThat(ClusterSecret.macEquals(new byte[] {1, 2}, new byte[] {1, 2})).isTrue();
        assertThat(ClusterSecret.macEquals(new byte[] {1, 2}, new byte[] {1, 3})).isFalse();
        assertThat(ClusterSecret.macEquals(new byte[] {1, 2}, null)).isFalse();
    }
}
