package org.mpft.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.mpft.client.Batch;
import org.mpft.client.BatchRequest;
import org.mpft.client.BatchResult;
import org.mpft.client.Credentials;
import org.mpft.client.DownloadRequest;
import org.mpft.client.FileOutcome;
import org.mpft.client.FileSelection;
import org.mpft.client.FileTransferClient;
import org.mpft.client.ListingRequest;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.MpftException;

/**
 * The many-file side of {@code mpft get} ({@code -r}, {@code -p}, several sources or a pattern): one login to
 * list and plan ({@link FileTransferClient#select}), then one batch over several sessions
 * ({@link FileTransferClient#startBatch}), each file reported as it ends and the exit code the worst of them.
 * The single-file side stays in {@link GetCommand}.
 */
final class BatchGet {

    /**
     * What the command line asked for.
     *
     * @param sources       the remote paths, relative to the user's root, patterns allowed
     * @param destination   the local destination ({@link FileSelection#plan})
     * @param recursive     {@code -r}
     * @param preserveModes {@code -p}
     * @param sessions      {@code --sessions}
     * @param filesPerSession {@code --files-per-session}
     * @param failFast      {@code --fail-fast}
     * @param resume        false with {@code --no-resume}
     * @param json          {@code --json}
     * @param quiet         {@code -q}
     * @param progress      {@code --progress}: the drawn display even when stderr is not a terminal
     * @param verbose       {@code -v}: stack traces on errors
     */
    record Options(List<String> sources, Path destination, boolean recursive, boolean preserveModes, int sessions,
                   int filesPerSession, boolean failFast, boolean resume, boolean json, boolean quiet, boolean progress, boolean verbose) {

        Options {
            sources = List.copyOf(sources);
            Objects.requireNonNull(destination, "destination");
        }
    }

    /** How the command logs in: the connection's template, and the next credentials after a refused login. */
    interface Login {
        /** The server, the login and the transfer settings; its remote path and output are not used. */
        DownloadRequest connection() throws MpftException;

        /** The credentials to try after a refused login, or null when none are left. */
        Credentials next() throws MpftException;

        /** True when the refusal came from refusing the server's certificate, not from the login. */
        boolean certificateRefused();
    }

    private final CliEnvironment env;
    private final Options options;
    private int worst = ExitCodes.OK;

    BatchGet(CliEnvironment env, Options options) {
        this.env = Objects.requireNonNull(env, "env");
        this.options = Objects.requireNonNull(options, "options");
    }

    /** Plans, downloads and reports; the exit code. */
    int run(Login login) {
        BatchProgressView view = new BatchProgressView(env.err(), env.out(),
                options.progress() || env.stderrTerminal(), !options.quiet(), options.json(), Clock.systemUTC());
        long started = System.nanoTime();
        try (FileTransferClient client = new FileTransferClient()) {
            Selected selected = select(client, login.connection(), login);
            FileSelection.Plan plan = selected.plan();
            for (FileSelection.Refusal refusal : plan.refused()) {
                view.say("mpft: " + refusal.error().getMessage());
                if (options.json()) {
                    env.out().println(BatchJson.refused(refusal.source(), refusal.error()));
                }
                note(refusal.error());
            }
            if (plan.files().isEmpty()) {
                return finish(0, 0, 0, plan.refused().size(), 0, started);
            }
            if (!plan.toFile() && !Files.isDirectory(options.destination())) {
                Files.createDirectories(options.destination()); // -r creates the destination, as scp -r does
            }
            // the sessions log in with the credentials the listing's login was accepted with
            BatchRequest request = BatchRequest.builder(selected.connection(), plan.files()).sessions(options.sessions())
                    .transfersPerSession(options.filesPerSession())
                    .failFast(options.failFast()).preserveModes(options.preserveModes()).resume(options.resume())
                    .build();
            BatchResult result = await(client.startBatch(request, view), view);
            int done = 0;
            int skipped = 0;
            int failed = plan.refused().size();
            for (FileOutcome outcome : result.files()) {
                if (outcome.error() != null) {
                    failed++;
                    note(outcome.error());
                } else if (outcome.skipped()) {
                    skipped++;
                } else {
                    done++;
                }
            }
            return finish(result.files().size() + plan.refused().size(), done, skipped, failed, result.bytes(), started);
        } catch (MpftException e) {
            return fail(ExitCodes.of(e.code()), e.getMessage(), e);
        } catch (IOException e) {
            return fail(ExitCodes.FAILURE, "cannot create " + options.destination() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail(ExitCodes.CANCELLED, "cancelled", null);
        } catch (RuntimeException e) {
            return fail(ExitCodes.FAILURE, e.getMessage() == null ? e.toString() : e.getMessage(), e);
        } finally {
            view.finish();
        }
    }

    /** The plan, and the connection whose credentials the server accepted for it. */
    private record Selected(FileSelection.Plan plan, DownloadRequest connection) {
    }

    /** Lists and plans on one login, trying the next credentials after each refused login. */
    private Selected select(FileTransferClient client, DownloadRequest connection, Login login)
            throws MpftException, InterruptedException {
        Credentials credentials = connection.credentials();
        while (true) {
            ListingRequest listing = new ListingRequest(connection.user(), connection.host(), connection.port(),
                    credentials, connection.hostKeys(), connection.certificateAuthorities());
            try {
                return new Selected(client.select(listing, options.sources(), options.destination(),
                        options.recursive()), connection);
            } catch (MpftException e) {
                if (e.code() != ErrorCode.AUTHENTICATION_FAILED || login.certificateRefused()) {
                    throw e;
                }
                Credentials next = login.next();
                if (next == null) {
                    throw e;
                }
                credentials = next;
                connection = with(connection, next);
            }
        }
    }

    /** Waits for the batch; Ctrl-C cancels it, keeping the partial files, and lets this thread report. */
    private BatchResult await(Batch batch, BatchProgressView view) throws InterruptedException {
        try (CancelOnShutdown cancelOnCtrlC = CancelOnShutdown.install(env, batch::cancel)) {
            BatchResult result = batch.await();
            view.reportTheRest(result);
            view.finish();
            return result;
        }
    }

    /**
     * Keeps the worst exit code: the highest of the files' codes, a cancellation counting only when nothing
     * else failed (Ctrl-C after a real failure still says what failed).
     */
    private void note(MpftException error) {
        int code = ExitCodes.of(error.code());
        if (worst == ExitCodes.OK || (worst == ExitCodes.CANCELLED && code != ExitCodes.CANCELLED)
                || (code != ExitCodes.CANCELLED && code > worst)) {
            worst = code;
        }
    }

    private int finish(int files, int done, int skipped, int failed, long bytes, long startedNanos) {
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
        if (options.json()) {
            env.out().println(BatchJson.total(files, done, skipped, failed, bytes, elapsedMs, worst));
        } else if (!options.quiet()) {
            double seconds = Math.max(elapsedMs, 1) / 1000.0;
            env.out().println(String.format(Locale.ROOT, "%d files: %d fetched, %d skipped, %d failed; %s in %.1f s"
                    + " (%.1f MB/s)", files, done, skipped, failed, ProgressBar.bytes(bytes), seconds, bytes / seconds / 1e6));
        }
        env.out().flush();
        return worst;
    }

    private int fail(int exitCode, String message, Throwable cause) {
        return FailureReport.print(env, options.json(), options.verbose(), exitCode, message, cause);
    }

    private static DownloadRequest with(DownloadRequest r, Credentials credentials) {
        return new DownloadRequest(r.user(), r.host(), r.port(), r.remotePath(), r.output(), credentials, r.hostKeys(),
                r.strategy(), r.resume(), r.retries(), r.compress(), r.busyWait(), r.certificateAuthorities());
    }
}
