package org.mpft.cli;

import org.mpft.client.DownloadResult;
import org.mpft.client.PathSummary;
import java.util.List;

/**
 * The {@code --json} summary of a finished download, one line:
 * <pre>
 * {"file":"/home/a/big.iso","bytes":524288000,"sha256":"…","elapsedMs":9612,"chunks":125,"retries":0,
 *  "resumedChunks":0,"droppedChunks":0,"paths":[{"server":"files.example.org:7300","role":"primary","chunks":63,"bytes":264241152}]}
 * </pre>
 * A path lost during the download also carries {@code "lost":"why"}. With {@code verbose}, each path also carries {@code "chunkIndices":[0,2,4,…]} (from 0). Strings are
 * escaped per RFC 8259; every character outside printable ASCII is written as {@code \\uXXXX}, so the
 * line is plain ASCII whatever the platform's encoding.
 *
 * <p>A failure is one object too ({@link #failure}):
 * <pre>
 * {"error":{"exitCode":7,"name":"unavailable","message":"no answer from files.example.org:7300 within 10 s: …"}}
 * </pre>
 */
final class JsonSummary {

    private JsonSummary() {
    }

    /** The summary as one JSON object, without a line break. */
    static String of(DownloadResult result, boolean verbose) {
        StringBuilder out = new StringBuilder(256);
        out.append('{');
        field(out, "file").append(quote(result.file().toString())).append(',');
        field(out, "bytes").append(result.bytes()).append(',');
        field(out, "sha256").append(quote(result.sha256())).append(',');
        field(out, "elapsedMs").append(result.elapsedMs()).append(',');
        field(out, "chunks").append(result.chunks()).append(',');
        field(out, "retries").append(result.retries()).append(',');
        field(out, "resumedChunks").append(result.resumedChunks()).append(',');
        field(out, "droppedChunks").append(result.droppedChunks()).append(',');
        field(out, "paths").append('[');
        List<PathSummary> paths = result.paths();
        for (int i = 0; i < paths.size(); i++) {
            PathSummary path = paths.get(i);
            if (i > 0) {
                out.append(',');
            }
            out.append('{');
            field(out, "server").append(quote(path.server())).append(',');
            field(out, "role").append(quote(path.role())).append(',');
            field(out, "chunks").append(path.chunks()).append(',');
            field(out, "bytes").append(path.bytes());
            if (path.lost() != null) {
                out.append(',');
                field(out, "lost").append(quote(path.lost()));
            }
            if (verbose) {
                out.append(',');
                field(out, "chunkIndices").append('[');
                List<Integer> indices = path.chunkIndices();
                for (int j = 0; j < indices.size(); j++) {
                    if (j > 0) {
                        out.append(',');
                    }
                    out.append(indices.get(j).intValue());
                }
                out.append(']');
            }
            out.append('}');
        }
        return out.append("]}").toString();
    }

    /**
     * A failure as one JSON object, without a line break.
     *
     * @param exitCode the command's exit code ({@link ExitCodes#name(int)} gives its stable name)
     * @param message  what went wrong, as written to stderr
     */
    static String failure(int exitCode, String message) {
        StringBuilder out = new StringBuilder(128).append('{');
        field(out, "error").append('{');
        field(out, "exitCode").append(exitCode).append(',');
        field(out, "name").append(quote(ExitCodes.name(exitCode))).append(',');
        field(out, "message").append(quote(message));
        return out.append("}}").toString();
    }

    private static StringBuilder field(StringBuilder out, String name) {
        return out.append(quote(name)).append(':');
    }

    /** A JSON string literal; {@code null} becomes {@code null}. */
    static String quote(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || c > 0x7E) {
                        out.append(String.format("\\u%04x", (int) c)); // surrogates stay pairs of escapes
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
