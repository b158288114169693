package org.mpft.client;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.ListingEntry;
import org.mpft.protocol.MpftException;
import org.mpft.protocol.RemotePath;

/**
 * What a server holds under a path, as its listings show it: shell-style patterns expanded ({@link #expand})
 * and folders walked ({@link #walk}). The server lists, the client matches: every name comes from a LISTING,
 * so the host's read rules decide what is seen (a name the user may not open is never listed), and a symbolic
 * link appears as what it leads to inside the user's root (the host resolves it; one that leads out is not
 * listed), so a walk never leaves the root. Bounded: at most {@code maxEntries} entries listed in all and
 * {@code maxDepth} folder levels below the starting one; beyond either a clear LIMIT_EXCEEDED. Not
 * thread-safe (its source is one session).
 */
public final class RemoteTree {

    /** The default bound on the entries listed by one expansion or walk. */
    public static final int DEFAULT_MAX_ENTRIES = 1_000_000;

    /** The default bound on the folder levels a walk goes down. */
    public static final int DEFAULT_MAX_DEPTH = 64;

    /** Where the folders' entries come from: {@link RemoteListing#all} on a logged-in session. */
    @FunctionalInterface
    public interface FolderSource {
        /**
         * Every entry of a folder, sorted by name.
         *
         * @param folder     the folder, relative to the user's root ({@code ""} is the root)
         * @param maxEntries the most entries wanted; a folder with more is refused with LIMIT_EXCEEDED
         * @throws MpftException the server's refusal
         */
        List<ListingEntry> list(String folder, int maxEntries) throws MpftException, InterruptedException;

        /**
         * Every entry of each of several folders, as {@link #list} gives them; a source that can ask for several
         * at once ({@link RemoteListing#allOf}) does, this default lists one folder after another.
         *
         * @param folders    the folders, relative to the user's root
         * @param maxEntries the most entries wanted over all of them; past it LIMIT_EXCEEDED
         * @return each folder's entries, in the order of {@code folders}
         * @throws MpftException the server's refusal of one of them
         */
        default List<List<ListingEntry>> listAll(List<String> folders, int maxEntries)
                throws MpftException, InterruptedException {
            List<List<ListingEntry>> all = new ArrayList<>(folders.size());
            int left = maxEntries;
            for (String folder : folders) {
                if (left < 1) {
                    throw new MpftException(ErrorCode.LIMIT_EXCEEDED, "more than " + maxEntries
                            + " remote entries to list");
                }
                List<ListingEntry> entries = list(folder, left);
                left -= entries.size();
                all.add(entries);
            }
            return all;
        }
    }

    /**
     * One remote file or folder.
     *
     * @param path    the path relative to the user's root
     * @param listing what its folder's listing said of it (type, size, time, permissions), or null when it was
     *                named literally and its folder could not be listed or did not show it: the server's OPEN
     *                then decides (no such file, access denied ...)
     */
    public record Entry(String path, ListingEntry listing) {

        /** Checks the path. */
        public Entry {
            Objects.requireNonNull(path, "path");
        }

        /** True when the listing shows a folder. */
        public boolean isFolder() {
            return listing != null && listing.type() == ListingEntry.Type.DIRECTORY;
        }

        /** The last segment of the path. */
        public String name() {
            return path.substring(path.lastIndexOf('/') + 1);
        }
    }

    /**
     * A file found by a walk.
     *
     * @param relative the path below the walked folder, {@code /}-separated
     * @param entry    the file, its path relative to the user's root
     */
    public record WalkedFile(String relative, Entry entry) {
    }

    private final FolderSource source;
    private final int maxEntries;
    private final int maxDepth;
    private long listed;

    /**
     * A tree over a listing source.
     *
     * @param source     the folders' entries
     * @param maxEntries the most entries listed in all, at least 1 ({@link #DEFAULT_MAX_ENTRIES})
     * @param maxDepth   the most folder levels a walk goes below its folder, at least 0 ({@link #DEFAULT_MAX_DEPTH})
     */
    public RemoteTree(FolderSource source, int maxEntries, int maxDepth) {
        this.source = Objects.requireNonNull(source, "source");
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be at least 1: " + maxEntries);
        }
        if (maxDepth < 0) {
            throw new IllegalArgumentException("maxDepth must be 0 or more: " + maxDepth);
        }
        this.maxEntries = maxEntries;
        this.maxDepth = maxDepth;
    }

    /** A tree over a logged-in listing session, with the default bounds. */
    public static RemoteTree of(RemoteListing listing) {
        return new RemoteTree(new FolderSource() {
            @Override
            public List<ListingEntry> list(String folder, int maxEntries) throws MpftException, InterruptedException {
                return listing.all(folder, maxEntries);
            }

            @Override
            public List<List<ListingEntry>> listAll(List<String> folders, int maxEntries)
                    throws MpftException, InterruptedException {
                return listing.allOf(folders, maxEntries);
            }
        }, DEFAULT_MAX_ENTRIES, DEFAULT_MAX_DEPTH);
    }

    /**
     * The files and folders a path names. A path without wildcards ({@link RemoteGlob#isPattern}) names itself:
     * its entry as its folder lists it, or, when the folder does not list it or cannot be listed, an entry
     * without a listing, for the server's OPEN to judge. A pattern is matched segment by segment against the
     * listings of the folders the segments before it matched ({@code logs/2026-*}{@code /*.gz}).
     *
     * @param path a remote path relative to the user's root, possibly with wildcards in any segment
     * @return the matches, in name order per folder
     * @throws MpftException FILE_NOT_FOUND naming the pattern when nothing matches, LIMIT_EXCEEDED past the
     *                       entry bound, or a refusal of a folder the pattern needs listed
     */
    public List<Entry> expand(String path) throws MpftException, InterruptedException {
        String clean = RemoteListing.folder(path);
        if (clean.isEmpty()) {
            return List.of(new Entry("", new ListingEntry(".", ListingEntry.Type.DIRECTORY, 0, 0,
                    ListingEntry.UNKNOWN_PERMISSIONS)));
        }
        RemotePath.validate(clean);
        if (!RemoteGlob.hasPattern(clean)) {
            return List.of(literal(clean));
        }
        String[] segments = clean.split("/");
        List<String> folders = List.of("");
        for (int i = 0; i < segments.length; i++) {
            boolean last = i == segments.length - 1;
            List<Entry> matched = new ArrayList<>();
            for (String folder : folders) {
                matched.addAll(match(folder, segments[i], last));
            }
            if (last) {
                if (matched.isEmpty()) {
                    throw noMatch(clean);
                }
                return matched;
            }
            folders = matched.stream().map(Entry::path).toList();
            if (folders.isEmpty()) {
                throw noMatch(clean);
            }
        }
        throw noMatch(clean);
    }

    /**
     * Every file below a folder, depth first in name order, with its path relative to the folder. Empty
     * folders are not listed (there is nothing to fetch in them). The folders of one level are asked for
     * together ({@link FolderSource#listAll}), so a source that pipelines its requests waits for one round trip
     * per level rather than one per folder.
     *
     * @param folder the folder, relative to the user's root
     * @throws MpftException LIMIT_EXCEEDED past the entry or depth bound, or the server's refusal of a folder
     */
    public List<WalkedFile> walk(String folder) throws MpftException, InterruptedException {
        String start = RemoteListing.folder(folder);
        Map<String, List<ListingEntry>> listings = new HashMap<>();
        List<String> level = List.of("");
        for (int depth = 0; !level.isEmpty(); depth++) {
            List<String> remote = level.stream().map(relative -> RemotePath.join(start, relative)).toList();
            List<List<ListingEntry>> entries = listAll(remote);
            List<String> below = new ArrayList<>();
            for (int i = 0; i < level.size(); i++) {
                listings.put(level.get(i), entries.get(i));
                for (ListingEntry entry : entries.get(i)) {
                    if (entry.type() == ListingEntry.Type.DIRECTORY) {
                        String child = RemotePath.join(level.get(i), entry.name());
                        if (depth + 1 > maxDepth) {
                            throw new MpftException(ErrorCode.LIMIT_EXCEEDED,
                                    RemotePath.quote(RemotePath.join(start, child))
                                    + " is more than " + maxDepth + " folder levels below " + describe(start));
                        }
                        below.add(child);
                    }
                }
            }
            level = below;
        }
        List<WalkedFile> files = new ArrayList<>();
        Deque<String> pending = new ArrayDeque<>();
        pending.push("");
        while (!pending.isEmpty()) {
            String relative = pending.pop();
            List<String> below = new ArrayList<>();
            for (ListingEntry entry : listings.get(relative)) {
                String child = RemotePath.join(relative, entry.name());
                if (entry.type() == ListingEntry.Type.DIRECTORY) {
                    below.add(child);
                } else {
                    files.add(new WalkedFile(child, new Entry(RemotePath.join(start, child), entry)));
                }
            }
            // depth first, in name order: push the folders found here in reverse
            for (int i = below.size() - 1; i >= 0; i--) {
                pending.push(below.get(i));
            }
        }
        return files;
    }

    /** The entries listed so far by this tree, against its bound. */
    public long listed() {
        return listed;
    }

    private Entry literal(String path) throws MpftException, InterruptedException {
        int slash = path.lastIndexOf('/');
        String parent = slash < 0 ? "" : path.substring(0, slash);
        String name = path.substring(slash + 1);
        try {
            for (ListingEntry entry : list(parent)) {
                if (entry.name().equals(name)) {
                    return new Entry(path, entry);
                }
            }
        } catch (MpftException e) {
            if (e.code() == ErrorCode.LIMIT_EXCEEDED) {
                throw e;
            }
            // the folder cannot be listed (its rules, a host without listing): OPEN will say what it says
        }
        return new Entry(path, null);
    }

    private List<Entry> match(String folder, String segment, boolean last) throws MpftException, InterruptedException {
        if (!RemoteGlob.isPattern(segment)) {
            String path = RemotePath.join(folder, segment);
            if (last) {
                Entry entry = literal(path);
                return entry.listing() == null ? List.of() : List.of(entry);
            }
            return List.of(new Entry(path, null)); // a folder named literally: the next segment lists it
        }
        RemoteGlob glob = RemoteGlob.compile(segment);
        List<ListingEntry> entries;
        try {
            entries = list(folder);
        } catch (MpftException e) {
            if (e.code() == ErrorCode.FILE_NOT_FOUND) {
                return List.of(); // a literal segment before this one named nothing: no match here
            }
            throw e;
        }
        List<Entry> matched = new ArrayList<>();
        for (ListingEntry entry : entries) {
            if (glob.matches(entry.name()) && (last || entry.type() == ListingEntry.Type.DIRECTORY)) {
                matched.add(new Entry(RemotePath.join(folder, entry.name()), entry));
            }
        }
        return matched;
    }

    private List<List<ListingEntry>> listAll(List<String> folders) throws MpftException, InterruptedException {
        long left = maxEntries - listed;
        if (left <= 0) {
            throw limit();
        }
        // a folder holding more than what is left is refused by the source itself (LIMIT_EXCEEDED naming it)
        List<List<ListingEntry>> entries = source.listAll(folders, (int) left);
        for (List<ListingEntry> folder : entries) {
            listed += folder.size();
        }
        if (listed > maxEntries) {
            throw limit();
        }
        return entries;
    }

    private List<ListingEntry> list(String folder) throws MpftException, InterruptedException {
        return listAll(List.of(folder)).get(0);
    }

    private MpftException limit() {
        return new MpftException(ErrorCode.LIMIT_EXCEEDED, "more than " + maxEntries
                + " remote entries to list; fetch fewer files at a time");
    }

    private static MpftException noMatch(String pattern) {
        return new MpftException(ErrorCode.FILE_NOT_FOUND, "no match for " + RemotePath.quote(pattern));
    }

    private static String describe(String folder) {
        return folder.isEmpty() ? "the home folder" : RemotePath.quote(folder);
    }
}
