package org.mpft.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Ctrl-C while a command downloads: a JVM shutdown hook cancels the work, then waits (at most 15 s) until
 * the command's own thread has reported, so the partial state is kept and the user reads why the command
 * stopped; the JVM then exits with 130 (128 + SIGINT). {@link #close()} removes the hook once the command
 * reported by itself.
 */
final class CancelOnShutdown implements AutoCloseable {

    private static final long REPORT_WAIT_SECONDS = 15;

    private final Thread hook;
    private final CountDownLatch reported = new CountDownLatch(1);
    private final AtomicBoolean fired = new AtomicBoolean();

    private CancelOnShutdown(Runnable cancel, boolean install) {
        if (!install) {
            hook = null;
            return;
        }
        hook = new Thread(() -> {
            fired.set(true);
            cancel.run();
            try {
                reported.await(REPORT_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "mpft-cancel");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /**
     * @param env    the command's environment: without shutdown hooks (tests) nothing is installed
     * @param cancel what Ctrl-C does: cancel the running download or batch
     */
    static CancelOnShutdown install(CliEnvironment env, Runnable cancel) {
        return new CancelOnShutdown(cancel, env.shutdownHooks());
    }

    /** True once Ctrl-C (or another shutdown) cancelled the work. */
    boolean fired() {
        return fired.get();
    }

    /** The command has reported: the hook may let the JVM exit; removed unless the JVM is shutting down. */
    @Override
    public void close() {
        reported.countDown();
        if (hook != null && !fired.get()) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // shutting down already: the hook has run or runs now
            }
        }
    }
}
