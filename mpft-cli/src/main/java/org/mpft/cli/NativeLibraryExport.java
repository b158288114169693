package org.mpft.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Copies the native libraries netty loads on this machine (the QUIC library and the epoll transport, from the
 * client jar's {@code META-INF/native/}) into a folder, for {@code bin/mpft} on Linux: later runs put that folder
 * on {@code java.library.path}, where netty looks before it unpacks a library from the jar. Unpacking the 7 MB QUIC
 * library to a temporary file in every run costs about 90 ms of a 1 kB download. Only the shared libraries of this
 * machine's architecture are copied.
 *
 * <p>Usage: {@code java -cp mpft-cli-all.jar org.mpft.cli.NativeLibraryExport FOLDER [ARCH]} (FOLDER must not exist; it
 * is created; ARCH, as {@code os.arch} names it, defaults to this JVM's: the release build names the architecture of
 * each Linux archive). Exit code 0 when at least one library was copied, 1 otherwise.
 */
public final class NativeLibraryExport {

    /** Where netty's jars keep their native libraries. */
    static final String NATIVE_FOLDER = "META-INF/native/";

    private NativeLibraryExport() {
    }

    /**
     * Copies the libraries.
     *
     * @param args the folder to create, and optionally the architecture ({@code os.arch}'s name for it)
     */
    public static void main(String[] args) throws IOException, URISyntaxException {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: NativeLibraryExport FOLDER [ARCH]");
            System.exit(2);
        }
        Path jar = Path.of(NativeLibraryExport.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        String arch = args.length == 2 ? args[1] : System.getProperty("os.arch");
        List<String> copied = export(jar, Path.of(args[0]), architecture(arch));
        System.exit(copied.isEmpty() ? 1 : 0);
    }

    /**
     * Copies the shared libraries ({@code .so}) of {@code architecture} from {@code jar}'s native folder into
     * {@code folder}, which is created.
     *
     * @return the names of the libraries copied
     */
    static List<String> export(Path jar, Path folder, String architecture) throws IOException {
        Files.createDirectory(folder);
        List<String> copied = new ArrayList<>();
        try (JarFile file = new JarFile(jar.toFile())) {
            for (JarEntry entry : Collections.list(file.entries())) {
                String name = entry.getName();
                if (!name.startsWith(NATIVE_FOLDER) || entry.isDirectory()) {
                    continue;
                }
                String library = name.substring(NATIVE_FOLDER.length());
                if (library.contains("/") || !library.endsWith("_" + architecture + ".so")) {
                    continue;
                }
                try (InputStream in = file.getInputStream(entry)) {
                    Files.copy(in, folder.resolve(library));
                }
                copied.add(library);
            }
        }
        return copied;
    }

    /** Netty's name for a JVM's {@code os.arch}: x86_64 for amd64, aarch_64 for aarch64. */
    static String architecture(String osArch) {
        String arch = osArch.toLowerCase(Locale.ROOT);
        return switch (arch) {
            case "amd64", "x86_64", "x64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch_64";
            default -> arch;
        };
    }
}
