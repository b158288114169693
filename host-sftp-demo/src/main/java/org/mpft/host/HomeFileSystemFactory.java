package org.mpft.host;

import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import org.apache.sshd.common.file.FileSystemFactory;
import org.apache.sshd.common.file.root.RootedFileSystemProvider;
import org.apache.sshd.common.session.SessionContext;

/**
 * Gives each SFTP session a file system rooted at the user's home ({@code data.dir/<user>}, created on
 * first login): the user sees its home as {@code /} and cannot name anything above it.
 */
final class HomeFileSystemFactory implements FileSystemFactory {

    private final HomeResolver resolver;

    HomeFileSystemFactory(HomeResolver resolver) {
        this.resolver = Objects.requireNonNull(resolver, "resolver");
    }

    @Override
    public Path getUserHomeDir(SessionContext session) {
        return resolver.home(session.getUsername());
    }

    @Override
    public FileSystem createFileSystem(SessionContext session) throws IOException {
        Path home = Files.createDirectories(getUserHomeDir(session));
        return new RootedFileSystemProvider().newFileSystem(home, Map.of());
    }
}
