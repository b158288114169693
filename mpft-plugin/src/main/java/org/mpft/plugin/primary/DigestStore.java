package org.mpft.plugin.primary;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.mpft.protocol.ChecksumAlgorithm;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A primary's chunk digests and the whole file's SHA-256, in memory (up to {@value #MEMORY_BYTES} bytes of them, so a
 * second download of a file, or of a tree of thousands, starts with all of them; when full, Caffeine's size eviction
 * keeps the versions used most often and most recently) and on disk, in a folder of the plugin's data folder ({@code digests/}),
 * so that a restarted primary does not read a big file again before its secondaries may serve it.
 *
 * <p>One file per file version: the key is the user, the path, the size, the mtime, the chunk size and the
 * checksum algorithm, so a file changed in size or mtime never meets the digests of its old content. The
 * file's name is the SHA-256 of the key (hex, {@code .dig}): path-safe whatever the user's path holds; the
 * key itself is stored inside and compared on load (a hash collision or a foreign file is a miss). Files
 * are written to a temporary name and moved into place atomically; a reader sees a whole file or none.
 * The folder is kept below {@code maxBytes} (the least recently used files go first; a load counts as a
 * use): the folder is listed once, then its size is kept by the saves, and listed again only when a save takes
 * it over the bound (a save costs the same with ten files as with a million). Thread-safe; blocking (runs on
 * the digest thread).
 */
public final class DigestStore {

    private static final Logger LOG = LoggerFactory.getLogger(DigestStore.class);
    private static final int MAGIC = 0x4d504447; // "MPDG"
    private static final int FORMAT = 2;
    private static final String SUFFIX = ".dig";
    /** The whole file's digest: a SHA-256. */
    private static final int FILE_DIGEST_LENGTH = 32;

    /**
     * A file version whose digests are stored.
     *
     * @param user        the user (paths are relative to each user's root)
     * @param path        the requested path
     * @param size        the file size, bytes
     * @param mtimeMillis the file's mtime
     * @param chunkSize   the chunk size the digests are of
     * @param algorithm   the checksum algorithm
     */
    record Version(String user, String path, long size, long mtimeMillis, int chunkSize,
                   ChecksumAlgorithm algorithm) {
        Version {
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(algorithm, "algorithm");
        }

        /** The key as stored in the file. */
        String key() {
            return user + "\u0000" + path + "\u0000" + size + "\u0000" + mtimeMillis + "\u0000" + chunkSize
                    + "\u0000" + algorithm.name();
        }

        /** The file name: SHA-256 of the key, hex. */
        String fileName() {
            try {
                return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                        .digest(key().getBytes(StandardCharsets.UTF_8))) + SUFFIX;
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * The digests of one file version: one per chunk, each the version's algorithm's length, and the SHA-256 of the
     * whole file, read in the same pass.
     *
     * @param chunks the chunks' digests
     * @param file   the whole file's SHA-256; null for a file not kept on disk ({@link DigestAhead#MIN_STORED_CHUNKS})
     */
    record FileDigests(byte[][] chunks, byte[] file) {
        FileDigests {
            Objects.requireNonNull(chunks, "chunks");
        }
    }

    /**
     * The most bytes of digests kept in memory, as {@link #weight} counts them: about 20,000 versions of files of a few
     * chunks (a tree), or every chunk of a 500 GiB file of 4 MiB chunks.
     */
    static final long MEMORY_BYTES = 8L << 20;

    private final Path folder;
    private final long maxBytes;
    private final Cache<Version, FileDigests> memory = Caffeine.newBuilder()
            .maximumWeight(MEMORY_BYTES)
            .weigher(DigestStore::weight)
            .executor(Runnable::run) // evictions on the remembering thread, no pool of their own
            .build();
    /** The folder's bytes as this store last counted them, kept up to date by its saves; -1 until counted. */
    private long folderBytes = -1;

    /**
     * @param folder   where the files go (created when needed)
     * @param maxBytes the most bytes the folder holds ({@code mpft.digests.max-bytes}); 0 stores nothing
     */
    public DigestStore(Path folder, long maxBytes) {
        this.folder = Objects.requireNonNull(folder, "folder");
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes < 0");
        }
        this.maxBytes = maxBytes;
    }

    /** The digests of {@code version} kept in memory (all of them), or null. */
    FileDigests remembered(Version version) {
        return memory.getIfPresent(version);
    }

    /** Keeps all the digests of {@code version} in memory, others making room when it is full. */
    void remember(Version version, FileDigests digests) {
        memory.put(version, digests);
    }

    /**
     * The bytes a version's digests hold in memory, about: each chunk's array (its header and digest), the file's
     * digest, the key's strings and the objects around them. A file whose digests weigh more than the memory is not
     * kept there (the data folder still has it).
     */
    static int weight(Version version, FileDigests digests) {
        long chunks = (long) digests.chunks().length * (16 + 8 + (long) version.algorithm().length());
        long file = digests.file() == null ? 0 : 16 + FILE_DIGEST_LENGTH;
        long key = 2L * (version.user().length() + version.path().length()) + 160;
        return (int) Math.min(Integer.MAX_VALUE, chunks + file + key);
    }

    /** The bytes of digests in memory now, as {@link #weight} counts them. */
    long rememberedBytes() {
        memory.cleanUp();
        return memory.policy().eviction().orElseThrow().weightedSize().orElseThrow();
    }

    /** True when this store keeps digests. */
    boolean enabled() {
        return maxBytes > 0;
    }

    /**
     * The stored digests of {@code version}: one per chunk, each the algorithm's length, and the file's; empty
     * when none are stored (or the file is damaged, which is then removed, or of an older format).
     */
    Optional<FileDigests> load(Version version, int chunkCount) {
        if (!enabled()) {
            return Optional.empty();
        }
        Path file = folder.resolve(version.fileName());
        int length = version.algorithm().length();
        try (InputStream raw = Files.newInputStream(file);
             DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(raw, 1 << 16))) {
            if (in.readInt() != MAGIC || in.readInt() != FORMAT || !in.readUTF().equals(version.key())
                    || in.readInt() != chunkCount || in.readInt() != length) {
                return Optional.empty(); // another version's file under a colliding name, or an old format
            }
            byte[][] digests = new byte[chunkCount][];
            for (int i = 0; i < chunkCount; i++) {
                digests[i] = in.readNBytes(length);
                if (digests[i].length != length) {
                    throw new IOException("truncated");
                }
            }
            byte[] whole = in.readNBytes(FILE_DIGEST_LENGTH);
            if (whole.length != FILE_DIGEST_LENGTH) {
                throw new IOException("truncated");
            }
            if (in.read() != -1) {
                throw new IOException("trailing bytes");
            }
            touch(file);
            return Optional.of(new FileDigests(digests, whole));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            LOG.warn("chunk digests in {} are unreadable ({}); removed", file, e.toString());
            deleteQuietly(file);
            return Optional.empty();
        }
    }

    /**
     * Stores the digests of {@code version} (every chunk's and the file's), atomically, then trims the folder to
     * its bound. A failure is logged and otherwise ignored: the digests are only a saving.
     */
    void save(Version version, FileDigests all) {
        byte[][] digests = all.chunks();
        int length = version.algorithm().length();
        long bytes = 4L * 5 + version.key().length() * 3L + 2 + (long) digests.length * length + FILE_DIGEST_LENGTH;
        if (!enabled() || bytes > maxBytes) {
            return;
        }
        Path file = folder.resolve(version.fileName());
        Path temp = null;
        try {
            Files.createDirectories(folder);
            long replaced = sizeOrZero(file);
            temp = Files.createTempFile(folder, "digests-", ".tmp");
            try (OutputStream raw = Files.newOutputStream(temp);
                 DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(raw, 1 << 16))) {
                out.writeInt(MAGIC);
                out.writeInt(FORMAT);
                out.writeUTF(version.key());
                out.writeInt(digests.length);
                out.writeInt(length);
                for (byte[] digest : digests) {
                    if (digest == null || digest.length != length) {
                        throw new IOException("incomplete digests");
                    }
                    out.write(digest);
                }
                if (all.file() == null || all.file().length != FILE_DIGEST_LENGTH) {
                    throw new IOException("no file digest");
                }
                out.write(all.file());
            }
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            temp = null;
            added(file, Files.size(file), replaced);
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot store chunk digests in {}: {}", folder, e.toString());
        } finally {
            if (temp != null) {
                deleteQuietly(temp);
            }
        }
    }

    /** Counts a saved file ({@code bytes}, in place of {@code replaced} bytes), trimming when over the bound. */
    private synchronized void added(Path file, long bytes, long replaced) throws IOException {
        if (folderBytes >= 0) {
            folderBytes += bytes - replaced;
        }
        if (folderBytes < 0 || folderBytes > maxBytes) {
            trim(file);
        }
    }

    private static long sizeOrZero(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * Lists the folder and removes the least recently used files until it is within its bound ({@code keep}
     * stays); the folder's bytes are then known again.
     */
    private synchronized void trim(Path keep) throws IOException {
        record Entry(Path file, long bytes, FileTime used) {
        }
        List<Entry> entries = new ArrayList<>();
        long total = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, "*" + SUFFIX)) {
            for (Path f : files) {
                try {
                    long size = Files.size(f);
                    entries.add(new Entry(f, size, Files.getLastModifiedTime(f)));
                    total += size;
                } catch (NoSuchFileException gone) {
                    // removed meanwhile
                }
            }
        }
        entries.sort(Comparator.comparing(Entry::used));
        for (Entry e : entries) {
            if (total <= maxBytes) {
                break;
            }
            if (!e.file().equals(keep)) {
                deleteQuietly(e.file());
                total -= e.bytes();
            }
        }
        folderBytes = total;
    }

    private static void touch(Path file) {
        try {
            Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis()));
        } catch (IOException e) {
            // only the eviction order suffers
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // left for the next trim
        }
    }
}
