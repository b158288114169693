package org.mpft.client;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.MpftException;
import org.mpft.protocol.RemotePath;

/**
 * Turns a name a server listed into a local path under a destination folder, refusing every name that could
 * land anywhere else or mean something else to the local system. A server is untrusted here: each
 * {@code /}-separated segment must pass {@link RemotePath}'s rule (no empty, {@code .} or {@code ..} segment,
 * no absolute or drive path, no backslash, NUL or control character, no look-alike of {@code /}, {@code \}
 * or {@code .}, no name ending in a dot or a space), must not be a Windows device name ({@code CON},
 * {@code PRN}, {@code AUX}, {@code NUL}, {@code COM0}-{@code COM9}, {@code LPT0}-{@code LPT9}, also with an
 * extension, also the superscript-digit forms: refused on every system, so a tree fetched on Linux can be
 * copied to Windows as it is), and the normalized result must lie strictly inside the destination.
 * A refusal is an {@link ErrorCode#INVALID_PATH} naming the name and the reason.
 */
public final class OutputNames {

    private static final Set<String> DEVICES = Set.of("CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$");

    private OutputNames() {
    }

    /**
     * The local path of {@code relative} under {@code destination}.
     *
     * @param destination the folder the names go under
     * @param relative    a {@code /}-separated relative name, as listed by the server
     * @return the absolute, normalized path, strictly inside {@code destination}
     * @throws MpftException INVALID_PATH naming the name and what is wrong with it
     */
    public static Path resolve(Path destination, String relative) throws MpftException {
        Objects.requireNonNull(destination, "destination");
        if (relative == null || relative.isEmpty()) {
            throw refused(relative, "the name is empty");
        }
        try {
            RemotePath.validate(relative);
        } catch (MpftException e) {
            throw refused(relative, e.getMessage());
        }
        for (String segment : relative.split("/", -1)) {
            checkDevice(relative, segment);
        }
        Path base = destination.toAbsolutePath().normalize();
        Path resolved;
        try {
            resolved = base.resolve(relative).normalize();
        } catch (InvalidPathException e) {
            throw refused(relative, "the local file system cannot name it (" + e.getReason() + ")");
        }
        if (!resolved.startsWith(base) || resolved.equals(base)) {
            throw refused(relative, "it would land outside " + base);
        }
        return resolved;
    }

    /** A Windows device name, with or without an extension ({@code nul.txt} is the device too). */
    private static void checkDevice(String relative, String segment) throws MpftException {
        int dot = segment.indexOf('.');
        String stem = (dot < 0 ? segment : segment.substring(0, dot)).stripTrailing().toUpperCase(Locale.ROOT);
        boolean numbered = stem.length() == 4 && (stem.startsWith("COM") || stem.startsWith("LPT"))
                && "0123456789\u00b9\u00b2\u00b3".indexOf(stem.charAt(3)) >= 0;
        if (DEVICES.contains(stem) || numbered) {
            throw refused(relative, RemotePath.quote(segment) + " is a Windows device name");
        }
    }

    private static MpftException refused(String relative, String why) {
        return new MpftException(ErrorCode.INVALID_PATH, "refused output name " + RemotePath.quote(
                relative == null ? "" : relative) + ": " + why);
    }
}
