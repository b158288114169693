package org.mpft.client;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The record of the files a batch has finished, so that a later run can skip them after checking their
 * bytes: one file, {@value #NAME}, in the folder that holds every output of the batch. Each finished file
 * appends one line: its name relative to that folder (escaped), its size, its modification time and its
 * SHA-256, separated by tabs. A line is not fsynced on its own (a sync per file was a cost on every file of a
 * tree): an interrupted process leaves it with the kernel, which writes it; only a crash of the machine can
 * lose the last lines, and a file without its line is then checked by size and time or fetched again. A
 * batch that ends unfinished fsyncs the manifest when it closes it. Reading is bounded ({@value #MAX_BYTES} bytes, lines of at most
 * {@value #MAX_LINE} characters) and forgiving: a line that does not parse is treated as absent (the file is
 * then checked by size and time only, or fetched again). The manifest is deleted when a batch succeeds, so a
 * finished tree holds exactly the server's files. Thread-safe.
 */
final class BatchManifest {

    /** The manifest's file name. */
    static final String NAME = ".mpft-batch";
    /** The most bytes of a manifest read; entries after that are treated as absent. */
    static final long MAX_BYTES = 64L << 20;
    /** The longest line read. */
    static final int MAX_LINE = 8192;
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    /** One finished file. */
    record Entry(long size, long mtimeMillis, String sha256) {
    }

    private final Path root;
    private final Path file;
    private final Map<String, Entry> entries;
    private FileChannel out;

    private BatchManifest(Path root, Map<String, Entry> entries) {
        this.root = root;
        this.file = root.resolve(NAME);
        this.entries = entries;
    }

    /** The folder holding every output: the common ancestor of their folders. */
    static Path rootOf(List<Path> outputs) {
        Path common = null;
        for (Path output : outputs) {
            Path parent = output.toAbsolutePath().normalize().getParent();
            if (common == null) {
                common = parent;
            } else {
                while (!parent.startsWith(common)) {
                    common = common.getParent();
                }
            }
        }
        return common;
    }

    /**
     * Reads the manifest of the batch whose outputs lie under {@code root}, if there is one.
     *
     * @throws IOException when the manifest exists but cannot be read
     */
    static BatchManifest open(Path root) throws IOException {
        Map<String, Entry> entries = new HashMap<>();
        Path file = root.resolve(NAME);
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            parse(new BufferedReader(reader), entries);
        } catch (NoSuchFileException e) {
            // no earlier run left one
        }
        return new BatchManifest(root, entries);
    }

    static void parse(BufferedReader reader, Map<String, Entry> entries) throws IOException {
        long read = 0;
        StringBuilder line = new StringBuilder();
        int c;
        boolean tooLong = false;
        while ((c = reader.read()) >= 0 && read++ < MAX_BYTES) {
            if (c == '\n') {
                if (!tooLong) {
                    parseLine(line.toString(), entries);
                }
                line.setLength(0);
                tooLong = false;
            } else if (line.length() < MAX_LINE) {
                line.append((char) c);
            } else {
                tooLong = true;
            }
        }
        // a last line without its newline was cut by a crash in the middle of an append: absent
    }

    private static void parseLine(String line, Map<String, Entry> entries) {
        String[] fields = line.split("\t", -1);
        if (fields.length != 4 || !SHA256.matcher(fields[3]).matches()) {
            return;
        }
        String name = unescape(fields[0]);
        if (name == null || name.isEmpty()) {
            return;
        }
        try {
            long size = Long.parseLong(fields[1]);
            long mtime = Long.parseLong(fields[2]);
            if (size < 0) {
                return;
            }
            entries.put(name, new Entry(size, mtime, fields[3]));
        } catch (NumberFormatException e) {
            // a bad line: absent
        }
    }

    /** The finished record of an output, if a run recorded one. */
    Optional<Entry> lookup(Path output) {
        return Optional.ofNullable(entries.get(relative(output)));
    }

    /** True when no finished file has been recorded (or read). */
    synchronized boolean isEmpty() {
        return entries.isEmpty() && out == null;
    }

    /**
     * Appends a finished file (not fsynced: see the class comment).
     *
     * @throws IOException when it cannot be written
     */
    synchronized void record(Path output, long size, long mtimeMillis, String sha256) throws IOException {
        String name = relative(output);
        if (out == null) {
            out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND);
        }
        ByteBuffer line = StandardCharsets.UTF_8.encode(escape(name) + "\t" + size + "\t" + mtimeMillis + "\t"
                + sha256 + "\n");
        while (line.hasRemaining()) {
            out.write(line);
        }
        entries.put(name, new Entry(size, mtimeMillis, sha256));
    }

    /** Closes the manifest and, when {@code delete}, removes it (the batch succeeded); else fsyncs it first. */
    synchronized void close(boolean delete) throws IOException {
        if (out != null) {
            if (!delete) {
                out.force(false);
            }
            out.close();
            out = null;
        }
        if (delete) {
            Files.deleteIfExists(file);
        }
    }

    private String relative(Path output) {
        return root.relativize(output.toAbsolutePath().normalize()).toString().replace('\\', '/');
    }

    /** Escapes a name for a line: {@code %}, tabs, line ends and other control characters as {@code %XX}. */
    static String escape(String name) {
        StringBuilder b = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '%' || c < 0x20 || c == 0x7f) {
                b.append('%').append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 15, 16));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** Reverses {@link #escape}; null when the text is not a valid escape. */
    static String unescape(String text) {
        StringBuilder b = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '%') {
                b.append(c);
                continue;
            }
            if (i + 2 >= text.length()) {
                return null;
            }
            int hi = Character.digit(text.charAt(i + 1), 16);
            int lo = Character.digit(text.charAt(i + 2), 16);
            if (hi < 0 || lo < 0) {
                return null;
            }
            b.append((char) (hi << 4 | lo));
            i += 2;
        }
        return b.toString();
    }
}
