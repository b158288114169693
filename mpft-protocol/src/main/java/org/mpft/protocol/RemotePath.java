package org.mpft.protocol;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;

/**
 * The one rule for file names on the wire, applied by servers to every requested path and by the client
 * to the names it writes: a relative, {@code /}-separated path inside the user's root.
 *
 * <p>Refused: an empty name; a name over {@link #MAX_PATH_BYTES} UTF-8 bytes or a segment over
 * {@link #MAX_SEGMENT_BYTES}; an absolute path ({@code /x}) or drive path ({@code C:x}); empty, {@code .}
 * and {@code ..} segments; a segment ending in a dot or a space; NUL, control (C0, DEL, C1), line and
 * paragraph separator, invisible format, private-use, unassigned and replacement characters; backslashes;
 * and Unicode look-alikes of the slash, backslash and dot: a short list of confusables plus every
 * character whose NFKC compatibility form holds a {@code /}, {@code \} or {@code .} (e.g. U+FF0E, U+FE30
 * which folds to {@code ..}, U+2100 which folds to {@code a/c}). The file system
 * checks (symbolic links leaving the root) are the host's, after this one.
 */
public final class RemotePath {

    /** The longest path, in UTF-8 bytes. */
    public static final int MAX_PATH_BYTES = 4096;

    /** The longest segment (one file or folder name), in UTF-8 bytes. */
    public static final int MAX_SEGMENT_BYTES = 255;

    /** Look-alikes of '/', '\' and '.' that some systems fold into the real characters. */
    private static final String LOOK_ALIKES = "\u2215\u2044\uFF0F\u29F8\u2571\uFF3C\u2216\uFE68\u29F9\u2572"
            + "\u29F5\u27CB\u27CD"
            + "\u2024\u2025\u2026\uFF0E\u3002\uFE52\uFF61\u0701\u0702\u2E2E";

    private RemotePath() {
    }

    /**
     * Checks a requested path.
     *
     * @param path the path as received
     * @return the same path, valid
     * @throws MpftException with {@link ErrorCode#INVALID_PATH} naming what is wrong
     */
    public static String validate(String path) throws MpftException {
        if (path == null || path.isEmpty()) {
            throw invalid(path, "the name is empty");
        }
        if (path.getBytes(StandardCharsets.UTF_8).length > MAX_PATH_BYTES) {
            throw invalid(path, "the name is longer than " + MAX_PATH_BYTES + " bytes");
        }
        for (int i = 0; i < path.length(); ) {
            int cp = path.codePointAt(i);
            checkCharacter(path, cp);
            i += Character.charCount(cp);
        }
        if (path.startsWith("/")) {
            throw invalid(path, "absolute paths are not allowed");
        }
        if (path.length() >= 2 && path.charAt(1) == ':' && Character.isLetter(path.charAt(0))) {
            throw invalid(path, "drive paths are not allowed");
        }
        for (String segment : path.split("/", -1)) {
            checkSegment(path, segment);
        }
        return path;
    }

    /**
     * Checks one file name (no {@code /}), e.g. the local name a download is written under.
     *
     * @throws MpftException with {@link ErrorCode#INVALID_PATH} naming what is wrong
     */
    public static String validateFileName(String name) throws MpftException {
        if (name != null && name.indexOf('/') >= 0) {
            throw invalid(name, "a file name may not contain '/'");
        }
        return validate(name);
    }

    private static void checkCharacter(String path, int cp) throws MpftException {
        if (cp == 0) {
            throw invalid(path, "NUL characters are not allowed");
        }
        if (Character.isISOControl(cp)) {
            throw invalid(path, "control characters are not allowed (U+" + hex(cp) + ")");
        }
        if (cp == '\\') {
            throw invalid(path, "backslashes are not allowed");
        }
        if (LOOK_ALIKES.indexOf(cp) >= 0 || foldsToSeparatorOrDot(cp)) {
            throw invalid(path, "look-alike of '/', '\\' or '.' not allowed (U+" + hex(cp) + ")");
        }
        int type = Character.getType(cp);
        if (type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR) {
            throw invalid(path, "line and paragraph separators are not allowed (U+" + hex(cp) + ")");
        }
        if (type == Character.FORMAT || type == Character.UNASSIGNED || type == Character.SURROGATE
                || type == Character.PRIVATE_USE || cp == 0xFFFD) {
            throw invalid(path, "invisible, unassigned or replacement character not allowed (U+" + hex(cp) + ")");
        }
    }

    private static void checkSegment(String path, String segment) throws MpftException {
        if (segment.isEmpty()) {
            throw invalid(path, "empty path segments are not allowed");
        }
        if (segment.equals(".") || segment.equals("..")) {
            throw invalid(path, "'" + segment + "' segments are not allowed");
        }
        if (segment.endsWith(".") || segment.endsWith(" ")) {
            throw invalid(path, "a segment may not end with a dot or a space");
        }
        if (segment.getBytes(StandardCharsets.UTF_8).length > MAX_SEGMENT_BYTES) {
            throw invalid(path, "a segment is longer than " + MAX_SEGMENT_BYTES + " bytes");
        }
    }

    /**
     * True for a non-ASCII character that NFKC folds into a string holding '/', '\\' or '.', so that a
     * system normalising names could turn it into a separator or a dot segment.
     */
    private static boolean foldsToSeparatorOrDot(int cp) {
        if (cp < 0x80) {
            return false;
        }
        String folded = Normalizer.normalize(new String(Character.toChars(cp)), Normalizer.Form.NFKC);
        return folded.indexOf('/') >= 0 || folded.indexOf('\\') >= 0 || folded.indexOf('.') >= 0;
    }

    private static String hex(int cp) {
        return String.format("%04X", cp);
    }

    private static MpftException invalid(String path, String why) {
        return new MpftException(ErrorCode.INVALID_PATH, "invalid path " + quote(path) + ": " + why);
    }

    /**
     * A path below {@code folder}: {@code folder/name}, or either alone when the other is empty (the empty path is the
     * user's root). Does not validate.
     */
    public static String join(String folder, String name) {
        return folder.isEmpty() ? name : name.isEmpty() ? folder : folder + "/" + name;
    }

    /**
     * Quotes a name for a message, escaping control (C0, DEL, C1), line/paragraph separator and format
     * characters, so that a hostile name cannot move a terminal's cursor or fake a log line, and cutting
     * it to 200 characters.
     */
    public static String quote(String path) {
        if (path == null) {
            return "(none)";
        }
        StringBuilder out = new StringBuilder("'");
        path.codePoints().limit(200).forEach(cp -> {
            int type = Character.getType(cp);
            if (Character.isISOControl(cp) || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR) {
                out.append(String.format("\\u%04x", cp));
            } else {
                out.appendCodePoint(cp);
            }
        });
        if (path.codePointCount(0, path.length()) > 200) {
            out.append("...");
        }
        return out.append('\'').toString();
    }
}
