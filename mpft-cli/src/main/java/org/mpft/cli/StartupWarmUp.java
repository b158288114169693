package org.mpft.cli;

import java.util.List;
import org.mpft.client.OpenSshIdentity;
import org.mpft.transport.QuicTransport;
import org.slf4j.LoggerFactory;

/**
 * Loads, on a daemon thread of its own, what a command that connects needs and the parsing of its command line
 * does not: the SSH key parsers with their security providers ({@link OpenSshIdentity#prepare}) and the QUIC
 * native library ({@link QuicTransport#loadNatives}). On a machine with a second core they load while picocli
 * builds its model and parses the arguments, instead of after it on the command's thread; a class that is still
 * being initialised there is waited for, not initialised twice. A failure here is left to the command, which
 * meets it again where it is reported.
 */
final class StartupWarmUp {

    /** The commands that connect. */
    private static final List<String> CONNECTING = List.of("get", "ls");

    private StartupWarmUp() {
    }

    /**
     * Starts the warm-up when {@code args} name a command that connects; returns at once.
     *
     * @return the warm-up's daemon thread, or null when none was started
     */
    static Thread startFor(String... args) {
        if (List.of(args).stream().noneMatch(CONNECTING::contains)) {
            return null;
        }
        // logging is set up here first: SLF4J initialising on two threads at once replays the calls it held back
        // and says so on stderr
        LoggerFactory.getILoggerFactory();
        Thread thread = new Thread(StartupWarmUp::run, "mpft-warm-up");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static void run() {
        try {
            OpenSshIdentity.prepare();
            QuicTransport.loadNatives();
        } catch (RuntimeException | LinkageError e) {
            // the command's own use of these classes fails as well, and reports it
        }
    }
}
