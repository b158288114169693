package org.mpft.plugin.send;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.NoSuchFileException;
import org.mpft.api.FileIdentity;
import org.mpft.api.ReadableFile;

/**
 * A host's open file whose every read is bracketed by a look at its {@link FileIdentity}: before the read (a file
 * that moved is not read again) and after it (bytes read while the file was written are never used). The first
 * look is compared with the size and time the host reported at open (what the chunk plan, META and the
 * secondaries' registration are based on), every later one with that first look; any difference, or a file gone
 * from its path, throws {@link FileChangedException}, and so does every read after it. A host that keeps
 * {@link ReadableFile#identity()}'s default never reports a change. Thread-safe: reads run on many threads.
 */
final class IdentityCheckedFile implements ReadableFile {

    private final ReadableFile file;
    private final String requestedPath;
    private volatile FileIdentity opened;
    private volatile boolean changed;

    private IdentityCheckedFile(ReadableFile file, String requestedPath) {
        this.file = file;
        this.requestedPath = requestedPath;
    }

    /** {@code file} with its reads checked; a file checked already is returned as it is. */
    static ReadableFile of(ReadableFile file, String requestedPath) {
        return file instanceof IdentityCheckedFile ? file : new IdentityCheckedFile(file, requestedPath);
    }

    @Override
    public long size() {
        return file.size();
    }

    @Override
    public long lastModifiedMillis() {
        return file.lastModifiedMillis();
    }

    @Override
    public FileIdentity identity() throws IOException {
        return file.identity();
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        check();
        int n = file.read(dst, position);
        check();
        return n;
    }

    /**
     * Throws {@link FileChangedException} when the file's identity is not the one first seen (or the first one
     * is not what the host reported at open).
     */
    void check() throws IOException {
        if (changed) {
            throw new FileChangedException(requestedPath);
        }
        FileIdentity now;
        try {
            now = file.identity();
        } catch (NoSuchFileException e) {
            now = null; // deleted or renamed away: whatever is read next is no longer what was planned
        }
        FileIdentity first = opened;
        if (first == null && now != null) {
            synchronized (this) {
                if (opened == null && now.size() == file.size() && now.modified().toMillis() == file.lastModifiedMillis()) {
                    opened = now;
                }
                first = opened;
            }
        }
        if (now == null || !now.equals(first)) {
            changed = true;
            throw new FileChangedException(requestedPath);
        }
    }

    /**
     * What tells this version of the file from another one of the same size and mtime (a file rewritten and
     * its mtime set back): the change time and file key of the first look, taken now if it was not yet.
     *
     * @throws FileChangedException when the file moved already
     */
    String versionTag() throws IOException {
        check();
        FileIdentity first = opened;
        return first.changed() + "/" + first.fileKey();
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
