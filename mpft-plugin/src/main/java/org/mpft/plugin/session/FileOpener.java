package org.mpft.plugin.session;

import java.io.IOException;
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
import org.mpft.protocol.MpftException;
import org.mpft.protocol.RemotePath;

/**
 * Opens a requested file: mpft's name rule ({@link RemotePath}) first, then the host's own access rules
 * ({@link FileAccess#openForRead}), then the size limit. Every refusal becomes an {@link MpftException}
 * whose message names the path. Blocking: call it off the event loop.
 */
final class FileOpener {

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
            throw new MpftException(code(e), describe(path, e), e);
        } catch (IOException | RuntimeException e) {
            throw new MpftException(ErrorCode.INTERNAL_ERROR, "cannot open " + path + ": " + e.getMessage(), e);
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

    private static ErrorCode code(HostException e) {
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

    private static String describe(String path, HostException e) {
        String what = switch (code(e)) {
            case FILE_NOT_FOUND -> "no such file: " + path;
            case INVALID_PATH -> "invalid path: " + path;
            case ACCESS_DENIED -> "access denied: " + path;
            default -> "cannot open " + path;
        };
        String detail = e.getMessage();
        return detail == null || detail.isBlank() || detail.equals(path) ? what : what + " (" + detail + ")";
    }

    static void closeQuietly(ReadableFile file) {
        try {
            file.close();
        } catch (IOException | RuntimeException ignored) {
            // nothing left to do with it
        }
    }
}
