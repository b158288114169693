package org.mpft.plugin.testsupport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.mpft.api.AuthenticationFailed;
import org.mpft.api.Authenticator;
import org.mpft.api.FileAccess;
import org.mpft.api.HostContext;
import org.mpft.api.NoSuchFile;
import org.mpft.api.Principal;
import org.mpft.api.ReadableFile;

/** An in-memory host for unit tests: users without passwords, files as byte arrays with an mtime. */
public final class FakeHost {

    /** A file: its bytes and its mtime. */
    public record File(byte[] content, long mtime) {
    }

    /** user -> path -> file; a user must be present (even with no file) to exist. */
    public final Map<String, Map<String, File>> files = new ConcurrentHashMap<>();

    public FakeHost put(String user, String path, byte[] content, long mtime) {
        files.computeIfAbsent(user, u -> new ConcurrentHashMap<>()).put(path, new File(content, mtime));
        return this;
    }

    public HostContext context(Path dataFolder) {
        Authenticator authenticator = new Authenticator() {
            @Override
            public Principal authenticatePassword(String user, char[] password) throws AuthenticationFailed {
                throw new AuthenticationFailed("no passwords here");
            }

            @Override
            public Principal authenticatePublicKey(String user, PublicKey key, byte[] data, byte[] signature)
                    throws AuthenticationFailed {
                throw new AuthenticationFailed("no keys here");
            }

            @Override
            public Principal lookup(String user) throws AuthenticationFailed {
                if (!files.containsKey(user)) {
                    throw new AuthenticationFailed("unknown user");
                }
                return Principal.of(user);
            }
        };
        FileAccess access = (user, path) -> {
            File f = files.getOrDefault(user.name(), Map.of()).get(path);
            if (f == null) {
                throw new NoSuchFile("no such file: " + path);
            }
            return new ReadableFile() {
                @Override
                public long size() {
                    return f.content().length;
                }

                @Override
                public long lastModifiedMillis() {
                    return f.mtime();
                }

                @Override
                public int read(ByteBuffer dst, long position) {
                    if (position >= f.content().length) {
                        return -1;
                    }
                    int n = (int) Math.min(dst.remaining(), f.content().length - position);
                    dst.put(f.content(), (int) position, n);
                    return n;
                }

                @Override
                public void close() throws IOException {
                }
            };
        };
        return new HostContext(authenticator, access, dataFolder, Map.of());
    }
}
