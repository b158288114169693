package org.mpft.cli;

import java.util.function.BooleanSupplier;
import org.mpft.client.Credentials;
import org.mpft.client.DownloadRequest;
import org.mpft.client.DownloadResult;
import org.mpft.client.ProgressListener;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.MpftException;

/**
 * A {@link Downloader} that, when the server refuses a login, starts the download again with the next of
 * the {@link LoginCandidates} (a refused login closes the connection, so each key costs one connection and
 * one failed login at the server's throttle, as each key costs one attempt with ssh). A refusal of the
 * server's certificate is not a refused login and ends the download at once.
 */
final class EachLoginDownloader implements Downloader {

    private final Downloader delegate;
    private final LoginCandidates login;
    private final BooleanSupplier certificateRefused;

    /**
     * @param certificateRefused true when the failure came from refusing the server's certificate
     */
    EachLoginDownloader(Downloader delegate, LoginCandidates login, BooleanSupplier certificateRefused) {
        this.delegate = delegate;
        this.login = login;
        this.certificateRefused = certificateRefused;
    }

    @Override
    public Running start(DownloadRequest request, ProgressListener listener) {
        return new Running() {
            private volatile Running current = delegate.start(request, listener);
            private volatile boolean cancelled;

            @Override
            public void cancel() {
                cancelled = true;
                current.cancel();
            }

            @Override
            public DownloadResult await() throws MpftException, InterruptedException {
                DownloadRequest attempt = request;
                while (true) {
                    try {
                        return current.await();
                    } catch (MpftException e) {
                        if (e.code() != ErrorCode.AUTHENTICATION_FAILED || cancelled || certificateRefused.getAsBoolean()) {
                            throw e;
                        }
                        Credentials next;
                        try {
                            next = login.next();
                        } catch (LoginCandidates.Unusable unusable) {
                            throw new MpftException(ErrorCode.AUTHENTICATION_FAILED, unusable.getMessage());
                        }
                        if (next == null) {
                            throw e;
                        }
                        attempt = with(attempt, next);
                        current = delegate.start(attempt, listener);
                        if (cancelled) {
                            current.cancel();
                        }
                    }
                }
            }
        };
    }

    private static DownloadRequest with(DownloadRequest r, Credentials credentials) {
        return new DownloadRequest(r.user(), r.host(), r.port(), r.remotePath(), r.output(), credentials, r.hostKeys(),
                r.strategy(), r.resume(), r.retries(), r.compress(), r.busyWait(), r.certificateAuthorities(),
                r.hashLocally());
    }

    @Override
    public void close() {
        delegate.close();
    }
}
