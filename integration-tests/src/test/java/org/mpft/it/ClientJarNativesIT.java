package org.mpft.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * The client jar a user runs carries netty's QUIC natives of the five platforms served (Linux x86-64 and ARM,
 * macOS Intel and Apple silicon, Windows x86-64) and epoll for both Linux ones: listed from the built shaded jar.
 */
class ClientJarNativesIT {

    @Test
    void theClientJarCarriesTheNativesOfEveryPlatform() throws Exception {
        List<String> entries;
        try (JarFile jar = new JarFile(MpftCli.cliJar().toFile())) {
            entries = jar.stream().map(JarEntry::getName).filter(n -> n.startsWith("META-INF/native/")).toList();
        }
        assertThat(entries).contains(
                "META-INF/native/libnetty_quiche42_linux_x86_64.so",
                "META-INF/native/libnetty_quiche42_linux_aarch_64.so",
                "META-INF/native/libnetty_quiche42_osx_x86_64.jnilib",
                "META-INF/native/libnetty_quiche42_osx_aarch_64.jnilib",
                "META-INF/native/netty_quiche42_windows_x86_64.dll",
                "META-INF/native/libnetty_transport_native_epoll_x86_64.so",
                "META-INF/native/libnetty_transport_native_epoll_aarch_64.so");
    }
}
