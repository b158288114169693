package org.mpft.sshd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.sshd.common.file.nativefs.NativeFileSystemFactory;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.server.SshServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpft.api.AccessDenied;
import org.mpft.api.InvalidPath;
import org.mpft.api.NoSuchFile;
import org.mpft.api.Principal;
import org.mpft.api.ReadableFile;

/** The name rule, and the platform's default file system with the factory's home folder as the root. */
class SshdFileAccessTest {

    @TempDir
    Path dir;

    @Test
    void namesAreNormalizedInsideTheRoot() throws Exception {
        assertThat(SshdFileAccess.normalize("/a/./b//c/")).isEqualTo("a/b/c");
        assertThat(SshdFileAccess.normalize("a/b/../c")).isEqualTo("a/c");
        assertThat(SshdFileAccess.normalize("/")).isEmpty();
        assertThatThrownBy(() -> SshdFileAccess.normalize("a/../..")).isInstanceOf(InvalidPath.class);
        assertThatThrownBy(() -> SshdFileAccess.normalize("a\0b")).isInstanceOf(InvalidPath.class);
        assertThatThrownBy(() -> SshdFileAccess.normalize("a\nb")).isInstanceOf(InvalidPath.class);
    }

    @Test
    void theDefaultFileSystemIsRootedInTheUsersHome() throws Exception {
        Path home = Files.createDirectories(dir.resolve("home/alice"));
        Files.writeString(home.resolve("mine.txt"), "mine");
        Path outside = Files.writeString(dir.resolve("outside.txt"), "outside");
        Files.createSymbolicLink(home.resolve("abs.txt"), outside);
        Files.createSymbolicLink(home.resolve("in.txt"), home.resolve("mine.txt"));
        NativeFileSystemFactory factory = new NativeFileSystemFactory();
        factory.setUsersHomeDir(dir.resolve("home").toString());
        SshdFileAccess files = new SshdFileAccess(SshServer.setUpDefaultServer(), factory, false);
        Principal alice = Principal.of("alice");
        try (ReadableFile f = files.openForRead(alice, "/mine.txt")) {
            assertThat(f.size()).isEqualTo(4);
        }
        try (ReadableFile f = files.openForRead(alice, "in.txt")) {
            assertThat(f.size()).isEqualTo(4);
        }
        assertThatThrownBy(() -> files.openForRead(alice, "abs.txt")).isInstanceOf(InvalidPath.class);
        assertThatThrownBy(() -> files.openForRead(alice, outside.toString())).isInstanceOf(NoSuchFile.class);
        assertThatThrownBy(() -> files.openForRead(alice, "../outside.txt")).isInstanceOf(InvalidPath.class);
    }

    @Test
    void aFactoryWithoutAHomeForTheUserRefuses() {
        SshdFileAccess files = new SshdFileAccess(SshServer.setUpDefaultServer(), new NativeFileSystemFactory() {
            @Override
            public Path getUserHomeDir(org.apache.sshd.common.session.SessionContext session) {
                return null;
            }
        }, false);
        assertThatThrownBy(() -> files.openForRead(Principal.of("alice"), "x")).isInstanceOf(AccessDenied.class);
        VirtualFileSystemFactory roots = new VirtualFileSystemFactory();
        roots.setUserHomeDir("alice", dir);
        SshdFileAccess virtual = new SshdFileAccess(SshServer.setUpDefaultServer(), roots, false);
        assertThatThrownBy(() -> virtual.openForRead(Principal.of("mallory"), "x")).isInstanceOf(AccessDenied.class);
    }
}
