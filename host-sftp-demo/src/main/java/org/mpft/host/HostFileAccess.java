package org.mpft.host;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import org.mpft.api.AccessDenied;
import org.mpft.api.FileAccess;
import org.mpft.api.HostException;
import org.mpft.api.Principal;
import org.mpft.api.ReadableFile;

/** The host's {@link FileAccess} for plugins: the same {@link HomeResolver} and rules as SFTP. */
final class HostFileAccess implements FileAccess {

    private final UserStore users;
    private final HomeResolver resolver;

    HostFileAccess(UserStore users, HomeResolver resolver) {
        this.users = Objects.requireNonNull(users, "users");
        this.resolver = Objects.requireNonNull(resolver, "resolver");
    }

    @Override
    public ReadableFile openForRead(Principal user, String path) throws HostException, IOException {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(path, "path");
        UserAccount account = users.find(user.name())
                .orElseThrow(() -> new AccessDenied("unknown user " + user.name()));
        Path real = resolver.readableFile(account, path);
        // the real path has no link left; NOFOLLOW_LINKS refuses one swapped in since it was resolved
        FileChannel channel = FileChannel.open(real, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        try {
            long size = channel.size();
            long mtime = java.nio.file.Files.getLastModifiedTime(real, LinkOption.NOFOLLOW_LINKS).toMillis();
            return new ChannelFile(channel, size, mtime);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** A {@link ReadableFile} over a {@link FileChannel}; size and time are those seen at open. */
    private record ChannelFile(FileChannel channel, long size, long lastModifiedMillis) implements ReadableFile {

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return channel.read(dst, position);
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
