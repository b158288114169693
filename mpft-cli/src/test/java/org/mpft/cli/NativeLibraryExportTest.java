package org.mpft.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativeLibraryExportTest {

    @TempDir
    Path dir;

    private Path jar(String... entries) throws IOException {
        Path jar = dir.resolve("client.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            for (String entry : entries) {
                out.putNextEntry(new JarEntry(entry));
                if (!entry.endsWith("/")) {
                    out.write(("bytes of " + entry).getBytes(StandardCharsets.UTF_8));
                }
                out.closeEntry();
            }
        }
        return jar;
    }

    @Test
    void copiesTheSharedLibrariesOfThisArchitectureOnly() throws IOException {
        Path jar = jar("META-INF/native/", "META-INF/native/libnetty_quiche42_linux_x86_64.so",
                "META-INF/native/libnetty_transport_native_epoll_x86_64.so",
                "META-INF/native/libnetty_quiche42_linux_aarch_64.so",
                "META-INF/native/libnetty_quiche42_osx_x86_64.jnilib",
                "META-INF/native/netty_quiche42_windows_x86_64.dll",
                "META-INF/native-image/io.netty/x86_64.so", "org/mpft/cli/Other_x86_64.so");
        Path folder = dir.resolve("native");

        assertThat(NativeLibraryExport.export(jar, folder, "x86_64")).containsExactlyInAnyOrder(
                "libnetty_quiche42_linux_x86_64.so", "libnetty_transport_native_epoll_x86_64.so");
        try (var files = Files.list(folder)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(
                    "libnetty_quiche42_linux_x86_64.so", "libnetty_transport_native_epoll_x86_64.so");
        }
        assertThat(Files.readString(folder.resolve("libnetty_quiche42_linux_x86_64.so")))
                .isEqualTo("bytes of META-INF/native/libnetty_quiche42_linux_x86_64.so");
    }

    @Test
    void theFolderMustNotExistYet() throws IOException {
        Path jar = jar("META-INF/native/libnetty_quiche42_linux_x86_64.so");
        Files.createDirectory(dir.resolve("native"));
        assertThatThrownBy(() -> NativeLibraryExport.export(jar, dir.resolve("native"), "x86_64"))
                .isInstanceOf(FileAlreadyExistsException.class);
    }

    @Test
    void architecturesAreNamedAsNettyNamesThem() {
        assertThat(NativeLibraryExport.architecture("amd64")).isEqualTo("x86_64");
        assertThat(NativeLibraryExport.architecture("aarch64")).isEqualTo("aarch_64");
        assertThat(NativeLibraryExport.architecture("riscv64")).isEqualTo("riscv64");
    }
}
