package org.mpft.cli;

import org.mpft.client.FileOutcome;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.MpftException;

/**
 * The {@code --json} lines of a many-file {@code mpft get}: one object per file as it ends, then one total.
 * <pre>
 * {"path":"logs/a.gz","file":"/home/a/out/a.gz","status":"done","bytes":1024,"sha256":"…"}
 * {"path":"logs/b.gz","file":"/home/a/out/b.gz","status":"skipped","bytes":2048,"sha256":null}
 * {"path":"logs/c.gz","file":"/home/a/out/c.gz","status":"failed","bytes":0,"sha256":null,
 *  "error":{"exitCode":5,"name":"access-denied","message":"access denied: logs/c.gz"}}
 * {"total":{"files":3,"done":1,"skipped":1,"failed":1,"bytes":1024,"elapsedMs":812,"exitCode":5}}
 * </pre>
 * {@code status} is {@code done} (fetched and verified), {@code skipped} (already complete on disk),
 * {@code failed} or {@code cancelled}; {@code bytes} is the file's size when it is on disk, else 0; {@code file}
 * is null for a source that named no file. Strings as {@link JsonSummary#quote}.
 */
final class BatchJson {

    private BatchJson() {
    }

    /** One file's end. */
    static String file(FileOutcome outcome) {
        StringBuilder out = new StringBuilder(192).append('{');
        out.append("\"path\":").append(JsonSummary.quote(outcome.file().remotePath())).append(',');
        out.append("\"file\":").append(JsonSummary.quote(outcome.file().output().toString())).append(',');
        if (outcome.error() != null) {
            return error(out, outcome.error());
        }
        out.append("\"status\":").append(JsonSummary.quote(outcome.skipped() ? "skipped" : "done")).append(',');
        long bytes = outcome.result() != null ? outcome.result().bytes() : Math.max(0, outcome.file().size());
        out.append("\"bytes\":").append(bytes).append(',');
        out.append("\"sha256\":").append(JsonSummary.quote(outcome.result() != null ? outcome.result().sha256() : null));
        return out.append('}').toString();
    }

    /** A source (or a file of it) refused before any transfer: no output file. */
    static String refused(String source, MpftException error) {
        StringBuilder out = new StringBuilder(160).append('{');
        out.append("\"path\":").append(JsonSummary.quote(source)).append(',');
        out.append("\"file\":null,");
        return error(out, error);
    }

    /** The total line. */
    static String total(int files, int done, int skipped, int failed, long bytes, long elapsedMs, int exitCode) {
        return "{\"total\":{\"files\":" + files + ",\"done\":" + done + ",\"skipped\":" + skipped + ",\"failed\":"
                + failed + ",\"bytes\":" + bytes + ",\"elapsedMs\":" + elapsedMs + ",\"exitCode\":" + exitCode + "}}";
    }

    private static String error(StringBuilder out, MpftException error) {
        int exit = ExitCodes.of(error.code());
        out.append("\"status\":").append(JsonSummary.quote(error.code() == ErrorCode.CANCELLED ? "cancelled" : "failed"))
                .append(',');
        out.append("\"bytes\":0,\"sha256\":null,");
        out.append("\"error\":{\"exitCode\":").append(exit).append(",\"name\":")
                .append(JsonSummary.quote(ExitCodes.name(exit))).append(",\"message\":")
                .append(JsonSummary.quote(error.getMessage())).append("}}");
        return out.toString();
    }
}
