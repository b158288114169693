package org.mpft.client;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.ListingEntry;
import org.mpft.protocol.MpftException;
import org.mpft.protocol.RemotePath;

/**
 * Which remote files go where, as {@code scp [-r] SRC... DEST} decides it: each source path is expanded on a
 * {@link RemoteTree} (patterns matched, folders walked with {@code recursive}) and every file gets an output
 * under the destination through {@link OutputNames}.
 * <ul>
 *   <li>The destination is an existing folder: each match lands in it under its own name, a folder's files
 *       under the folder's name with their relative paths ({@code get -r host:dir out/} gives
 *       {@code out/dir/...}).</li>
 *   <li>The destination is not a folder and the sources name exactly one regular file: the destination is
 *       that file's output.</li>
 *   <li>Else, with {@code recursive}, the destination is a folder to create, and the matches land in it as in
 *       the first case.</li>
 *   <li>Else the destination must be a folder: an error.</li>
 * </ul>
 * A folder always lands under its own name, whether the destination existed or not ({@code scp -r host:dir new}
 * fills a missing {@code new} with dir's files instead): so the same command run again after an interruption
 * finds the files of the first run where it left them, and resumes. The user's root itself ({@code host:/})
 * fills the destination.
 * A source that matches nothing, a folder without {@code recursive}, a walk the server refuses or that passes
 * its bounds, a name {@link OutputNames} refuses and a second file for the same output are refusals of their
 * own: the other files still go.
 */
public final class FileSelection {

    /**
     * A source, or one file of it, that will not be fetched.
     *
     * @param source the source path (or the remote file) refused
     * @param error  why, with its error code
     */
    public record Refusal(String source, MpftException error) {

        /** Checks the fields. */
        public Refusal {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(error, "error");
        }
    }

    /**
     * The files to fetch and the refusals, in the order of the sources (a folder's files depth first in name
     * order).
     *
     * @param files   the files, each with its output, size, time and permissions as listed
     * @param refused what will not be fetched, and why
     * @param toFile  true when the destination itself is the one file's output
     */
    public record Plan(List<BatchFile> files, List<Refusal> refused, boolean toFile) {

        /** Freezes the lists. */
        public Plan {
            files = List.copyOf(files);
            refused = List.copyOf(refused);
        }
    }

    private FileSelection() {
    }

    /**
     * Plans the files of the sources.
     *
     * @param tree        the server's tree, on a logged-in session
     * @param sources     remote paths relative to the user's root, with patterns in any segment
     * @param destination the local destination (see the class comment)
     * @param recursive   true to fetch folders with everything below them
     * @return the plan
     * @throws MpftException INVALID_PATH when the sources give several files (or a folder) and the destination is
     *                       not a folder and {@code recursive} is false
     */
    public static Plan plan(RemoteTree tree, List<String> sources, Path destination, boolean recursive)
            throws MpftException, InterruptedException {
        Objects.requireNonNull(tree, "tree");
        Objects.requireNonNull(destination, "destination");
        List<Refusal> refused = new ArrayList<>();
        List<RemoteTree.Entry> matches = new ArrayList<>();
        for (String source : sources) {
            try {
                for (RemoteTree.Entry entry : tree.expand(source)) {
                    if (entry.isFolder() && !recursive) {
                        refused.add(new Refusal(entry.path(), new MpftException(ErrorCode.INVALID_PATH,
                                RemotePath.quote(entry.path()) + ": not a regular file (a folder: give -r to fetch it)")));
                    } else {
                        matches.add(entry);
                    }
                }
            } catch (MpftException e) {
                refused.add(new Refusal(source, e));
            }
        }
        boolean folderExists = Files.isDirectory(destination);
        if (!folderExists && matches.size() == 1 && !matches.get(0).isFolder()) {
            return new Plan(List.of(batchFile(matches.get(0), destination.toAbsolutePath().normalize())), refused, true);
        }
        if (!folderExists && !recursive && !matches.isEmpty()) {
            throw new MpftException(ErrorCode.INVALID_PATH, destination + " is not a folder: several files need an"
                    + " existing folder (or -r, which creates it)");
        }
        List<BatchFile> files = new ArrayList<>();
        Map<Path, String> outputs = new HashMap<>();
        for (RemoteTree.Entry match : matches) {
            String prefix = match.path().isEmpty() ? "" : match.name();
            if (!match.isFolder()) {
                add(files, outputs, refused, match, destination, prefix);
                continue;
            }
            try {
                for (RemoteTree.WalkedFile file : tree.walk(match.path())) {
                    add(files, outputs, refused, file.entry(), destination,
                            prefix.isEmpty() ? file.relative() : prefix + "/" + file.relative());
                }
            } catch (MpftException e) {
                refused.add(new Refusal(match.path(), e));
            }
        }
        return new Plan(files, refused, false);
    }

    private static void add(List<BatchFile> files, Map<Path, String> outputs, List<Refusal> refused,
                            RemoteTree.Entry entry, Path destination, String relative) {
        try {
            Path output = OutputNames.resolve(destination, relative);
            String earlier = outputs.putIfAbsent(output, entry.path());
            if (earlier != null) {
                throw new MpftException(ErrorCode.INVALID_PATH, RemotePath.quote(entry.path()) + " would land on "
                        + output + ", the output of " + RemotePath.quote(earlier));
            }
            files.add(batchFile(entry, output));
        } catch (MpftException e) {
            refused.add(new Refusal(entry.path(), e));
        }
    }

    private static BatchFile batchFile(RemoteTree.Entry entry, Path output) {
        ListingEntry listed = entry.listing();
        return listed == null ? new BatchFile(entry.path(), output)
                : new BatchFile(entry.path(), output, listed.size(), listed.modifiedMillis(), listed.permissions());
    }
}
