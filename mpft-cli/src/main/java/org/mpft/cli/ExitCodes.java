package org.mpft.cli;

import org.mpft.protocol.ErrorCode;

/**
 * The {@code mpft} command's exit codes, and the one place that maps an {@link ErrorCode} to them.
 *
 * <table>
 *   <caption>exit codes</caption>
 *   <tr><td>0</td><td>the file is complete and verified</td></tr>
 *   <tr><td>1</td><td>any other failure</td></tr>
 *   <tr><td>2</td><td>usage error or invalid path</td></tr>
 *   <tr><td>3</td><td>authentication failed, or the server's certificate refused</td></tr>
 *   <tr><td>4</td><td>no such file</td></tr>
 *   <tr><td>5</td><td>access denied, or the file is over the server's size limit</td></tr>
 *   <tr><td>6</td><td>not enough disk space</td></tr>
 *   <tr><td>7</td><td>server unavailable, timeout, or a server limit reached</td></tr>
 *   <tr><td>8</td><td>integrity failure (corrupt chunk, stale copy, file changed)</td></tr>
 *   <tr><td>130</td><td>cancelled (Ctrl-C); the partial download is kept</td></tr>
 * </table>
 */
final class ExitCodes {

    static final int OK = 0;
    static final int FAILURE = 1;
    static final int USAGE = 2;
    static final int AUTHENTICATION = 3;
    static final int NOT_FOUND = 4;
    static final int ACCESS_DENIED = 5;
    static final int NO_SPACE = 6;
    static final int UNAVAILABLE = 7;
    static final int INTEGRITY = 8;
    static final int CANCELLED = 130;

    private ExitCodes() {
    }

    /**
     * The stable name of an exit code, as {@code --json} reports a failure: {@code ok}, {@code failure},
     * {@code usage}, {@code authentication}, {@code not-found}, {@code access-denied}, {@code no-space},
     * {@code unavailable}, {@code integrity}, {@code cancelled}; {@code exit-N} for any other code.
     */
    static String name(int exitCode) {
        return switch (exitCode) {
            case OK -> "ok";
            case FAILURE -> "failure";
            case USAGE -> "usage";
            case AUTHENTICATION -> "authentication";
            case NOT_FOUND -> "not-found";
            case ACCESS_DENIED -> "access-denied";
            case NO_SPACE -> "no-space";
            case UNAVAILABLE -> "unavailable";
            case INTEGRITY -> "integrity";
            case CANCELLED -> "cancelled";
            default -> "exit-" + exitCode;
        };
    }

    /** The exit code for an error code. */
    static int of(ErrorCode code) {
        // no default: a new ErrorCode must be placed here deliberately (the switch stops compiling)
        return switch (code) {
            case INVALID_PATH -> USAGE;
            case AUTHENTICATION_FAILED -> AUTHENTICATION;
            case FILE_NOT_FOUND -> NOT_FOUND;
            case ACCESS_DENIED, FILE_TOO_LARGE -> ACCESS_DENIED;
            case INSUFFICIENT_SPACE -> NO_SPACE;
            case SERVER_UNAVAILABLE, CHUNK_TIMEOUT, LIMIT_EXCEEDED -> UNAVAILABLE;
            case CHUNK_CORRUPTION, STALE_FILE, FILE_CHANGED -> INTEGRITY;
            case CANCELLED -> CANCELLED;
            case PROTOCOL_ERROR, UNSUPPORTED_VERSION, INVALID_TICKET, INTERNAL_ERROR, CLUSTER_AUTH_FAILED -> FAILURE;
        };
    }
}
