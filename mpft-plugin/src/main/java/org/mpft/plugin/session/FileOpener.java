package org.mpft.plugin.session;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import org.mpft.api.AccessDenied;
import org.mpft.api.AuthenticationFailed;
import org.mpft.api.FileAccess;
import org.mpft.api.HostException;
import org.mpft.api.InvalidPath;
import org.mpft.api.NoSuchFile;
import org.mpft.api.Principal;
import org.mpft.api.ReadableFile;
import org.mpft.protocol.ChunkPlan;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.LogText;
import org.mpft.protocol.MpftException;
import org.mpft.protocol.RemotePath;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens a requested file: mpft's name rule ({@link RemotePath}) first, then the host's own access rules
 * ({@link FileAccess#openForRead}), then the size limit. Every refusal becomes an {@link MpftException}
 * whose message names the requested path and nothing of the server's: a host's refusal adds its own words
 * ({@link HostException}s are safe to show, by the API's contract), but the text of an I/O or runtime
 * exception (which names server folders) goes to the log, escaped, never to the client. Blocking: call it
 * off the event loop.
 */
final class FileOpener {

    private static final Logger LOG = LoggerFactory.getLogger(FileOpener.class);

    private final FileAccess access;
    private final long maxFileSize;
    private final int chunkSize;

    FileOpener(FileAccess access, long maxFileSize, int chunkSize) {
        this.access = access;
        this.maxFileSize = maxFileSize;
        this.chunkSize = chunkSize;
    }

    /**
     * @return the open file; the caller closes it
     * @throws MpftException INVALID_PATH, FILE_NOT_FOUND, ACCESS_DENIED, FILE_TOO_LARGE or INTERNAL_ERROR
     */
    ReadableFile open(Principal user, String path) throws MpftException {
        RemotePath.validate(path);
        ReadableFile file;
        try {
            file = access.openForRead(user, path);
        } catch (HostException e) {
            throw new MpftException(code(e), withDetail(describe(path, code(e)), path, e.getMessage()), e);
        } catch (AccessDeniedException e) {
            LOG.info("{} may not open {}: {}", LogText.quote(user.name()), LogText.quote(path), LogText.quote(e));
            throw new MpftException(ErrorCode.ACCESS_DENIED, describe(path, ErrorCode.ACCESS_DENIED), e);
        } catch (IOException | RuntimeException e) {
            LOG.warn("{} cannot open {}: {}", LogText.quote(user.name()), LogText.quote(path), LogText.quote(e));
            throw new MpftException(ErrorCode.INTERNAL_ERROR, describe(path, ErrorCode.INTERNAL_ERROR), e);
        }
        long size = file.size();
        String tooLarge = null;
        if (size > maxFileSize) {
            tooLarge = path + " is " + size + " bytes, over the server's limit of " + maxFileSize + " bytes";
        } else if (new ChunkPlan(size, chunkSize).chunkCountLong() > ChunkPlan.MAX_CHUNKS) {
            tooLarge = path + " is " + size + " bytes, more than " + ChunkPlan.MAX_CHUNKS + " chunks of " + chunkSize;
        }
        if (tooLarge != null) {
            closeQuietly(file);
            throw new MpftException(ErrorCode.FILE_TOO_LARGE, tooLarge);
        }
        return file;
    }

    /** The error code of a host's refusal. */
    static ErrorCode code(HostException e) {
        if (e instanceof NoSuchFile) {
            return ErrorCode.FILE_NOT_FOUND;
        }
        if (e instanceof InvalidPath) {
            return ErrorCode.INVALID_PATH;
        }
        if (e instanceof AccessDenied || e instanceof AuthenticationFailed) {
            return ErrorCode.ACCESS_DENIED;
        }
        return ErrorCode.INTERNAL_ERROR;
    }

    /** A host's refusal in its own words after ours, unless it only repeats the path. */
    private static String withDetail(String what, String path, String detail) {
        return detail == null || detail.isBlank() || detail.equals(path) ? what : what + " (" + detail + ")";
    }

    /** What the client is told: the code in words and the path it asked for, nothing of the server's. */
    private static String describe(String path, ErrorCode code) {
        return switch (code) {
            case FILE_NOT_FOUND -> "no such file: " + path;
            case INVALID_PATH -> "invalid path: " + path;
            case ACCESS_DENIED -> "access denied: " + path;
            default -> "cannot open " + path + " (the server's log says why)";
        };
    }

    static void closeQuietly(ReadableFile file) {
        try {
            file.close();
        } catch (IOException | RuntimeException ignored) {
            // nothing left to do with it
        }
    }
}
