package org.mpft.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;
import java.util.Objects;
import org.mpft.client.DownloadRequest;
import org.mpft.client.DownloadResult;
import org.mpft.client.ProgressListener;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.MpftException;

/**
 * The single-file side of {@code mpft get}: one download with its progress display, Ctrl-C, the summary line or
 * {@code --json} object, and the failure with its exit code and the hint where a partial download is kept.
 * The many-file side is {@link BatchGet}.
 */
final class SingleGet {

    private final CliEnvironment env;
    private final boolean json;
    private final boolean quiet;
    private final boolean progress;
    private final boolean verbose;

    /**
     * @param json     {@code --json}
     * @param quiet    {@code -q}
     * @param progress {@code --progress}
     * @param verbose  {@code -v}
     */
    SingleGet(CliEnvironment env, boolean json, boolean quiet, boolean progress, boolean verbose) {
        this.env = Objects.requireNonNull(env, "env");
        this.json = json;
        this.quiet = quiet;
        this.progress = progress;
        this.verbose = verbose;
    }

    /** The progress display: none with -q, the bar on a terminal or with --progress, else a line every 5 s. */
    private ProgressListener progressListener(String name) {
        if (quiet) {
            return ProgressListener.NONE;
        }
        return progress || env.stderrTerminal() ? new ProgressBar(env.err(), name)
                : new ProgressLines(env.err(), name, Clock.systemUTC());
    }

    int download(DownloadRequest request, PromptingHostKeys hosts, Path file, ExpectedDigest expected,
                         LoginCandidates login) {
        PrintStream err = env.err();
        ProgressListener listener = progressListener(file.getFileName().toString());
        ProgressBar bar = listener instanceof ProgressBar drawn ? drawn : null;
        // the SSH form logs in once, with its offer's token; a direct login tries each of its candidates in turn
        Downloader downloader = login == null ? env.downloaders().get()
                : new EachLoginDownloader(env.downloaders().get(), login, () -> hosts.refusal() != null);
        CancelOnShutdown cancelOnCtrlC = null;
        try {
            Downloader.Running running = downloader.start(request, listener);
            // Ctrl-C: cancel, let the download keep its partial state and this thread report
            cancelOnCtrlC = CancelOnShutdown.install(env, running::cancel);
            DownloadResult result;
            try {
                result = running.await();
            } finally {
                if (bar != null) {
                    bar.finish();
                }
            }
            report(expected == null ? result : expected.place(result, file));
            return ExitCodes.OK;
        } catch (ExpectedDigest.Mismatch e) {
            return fail(ExitCodes.INTEGRITY, e.getMessage());
        } catch (IOException e) {
            return fail(ExitCodes.FAILURE, "cannot move the verified file to " + file + ": " + describe(e), e);
        } catch (MpftException e) {
            MpftException refusal = hosts == null ? null : hosts.refusal();
            if (refusal != null && e.code() != ErrorCode.CANCELLED) {
                return fail(ExitCodes.AUTHENTICATION, refusal.getMessage());
            }
            if (e.code() == ErrorCode.CANCELLED || (cancelOnCtrlC != null && cancelOnCtrlC.fired())) {
                return fail(ExitCodes.CANCELLED, cancelledMessage(request));
            }
            return fail(ExitCodes.of(e.code()), e.getMessage() + keptHint(request), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail(ExitCodes.CANCELLED, cancelledMessage(request));
        } catch (RuntimeException e) {
            return fail(ExitCodes.FAILURE, describe(e), e);
        } finally {
            try {
                downloader.close();
            } catch (RuntimeException e) {
                if (verbose()) {
                    e.printStackTrace(err);
                }
            }
            if (cancelOnCtrlC != null) {
                cancelOnCtrlC.close();
            }
        }
    }

    /** After a failure: where the partial download is kept and how to resume it; empty when nothing is kept. */
    static String keptHint(DownloadRequest request) {
        return Files.exists(request.stateFile()) ? resumeHint(request) : "";
    }

    /** Where the partial download is kept and how to resume it, when its part file exists; else empty. */
    private static String resumeHint(DownloadRequest request) {
        Path part = request.partFile();
        return Files.exists(part) ? "; the partial download is kept in " + part
                + ", run the same command again to resume" : "";
    }

    private String cancelledMessage(DownloadRequest request) {
        return "cancelled" + resumeHint(request);
    }

    private void report(DownloadResult result) {
        if (json) {
            env.out().println(JsonSummary.of(result, verbose()));
        } else if (!quiet) {
            double seconds = Math.max(result.elapsedMs(), 1) / 1000.0;
            long fetched = result.bytes();
            StringBuilder line = new StringBuilder();
            line.append(result.file()).append(": ").append(ProgressBar.bytes(result.bytes()))
                    .append(String.format(Locale.ROOT, " in %.1f s (%.1f MB/s)", seconds, fetched / seconds / 1e6))
                    .append(", ").append(result.paths().size()).append(result.paths().size() == 1 ? " path" : " paths");
            if (result.resumedChunks() > 0) {
                line.append(", ").append(result.resumedChunks()).append(" of ").append(result.chunks())
                        .append(" chunks resumed");
            }
            if (result.retries() > 0) {
                line.append(", ").append(result.retries()).append(" retries");
            }
            line.append(", sha256 ").append(result.sha256());
            env.out().println(line);
        }
        env.out().flush();
    }


    private int fail(int exitCode, String message) {
        return fail(exitCode, message, null);
    }

    private int fail(int exitCode, String message, Throwable cause) {
        return FailureReport.print(env, json, verbose, exitCode, message, cause);
    }

    private boolean verbose() {
        return verbose;
    }

    private static String describe(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName().equals("NoSuchFileException")
                ? "no such file " + e.getMessage() : e.getMessage();
    }
}
