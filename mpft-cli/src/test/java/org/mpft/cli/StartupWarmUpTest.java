package org.mpft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mpft.transport.QuicTransport;

/** The warm-up thread of a command that connects. */
@Timeout(60)
class StartupWarmUpTest {

    @Test
    void aCommandThatConnectsStartsADaemonThreadThatLoadsTheKeyParsersAndTheQuicLibrary() throws Exception {
        Thread thread = StartupWarmUp.startFor("get", "-r", "alice@host:dir", "out/");

        assertThat(thread).isNotNull();
        assertThat(thread.isDaemon()).as("the JVM exits without waiting for it").isTrue();
        assertThat(thread.getName()).isEqualTo("mpft-warm-up");
        thread.join();
        assertThat(QuicTransport.loadNatives()).as("the QUIC library it loaded").isTrue();
    }

    @Test
    void commandsThatDoNotConnectStartNothing() {
        assertThat(StartupWarmUp.startFor("--version")).isNull();
        assertThat(StartupWarmUp.startFor("known-hosts", "--help")).isNull();
        assertThat(StartupWarmUp.startFor()).isNull();
    }
}
