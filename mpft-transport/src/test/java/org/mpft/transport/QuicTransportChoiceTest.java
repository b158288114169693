package org.mpft.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.epoll.Epoll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The choice between epoll and NIO: {@code -Dmpft.transport}. */
class QuicTransportChoiceTest {

    @AfterEach
    void clearProperty() {
        System.clearProperty(QuicTransport.TRANSPORT_PROPERTY);
    }

    @Test
    void nioIsChosenEvenWhereEpollLoads() {
        assumeTrue(Epoll.isAvailable(), "epoll loads on this machine (Linux with the native library)");
        System.setProperty(QuicTransport.TRANSPORT_PROPERTY, "nio");
        try (QuicTransport transport = QuicTransport.create("choice-test", 1)) {
            assertThat(transport.isEpoll()).isFalse();
        }
    }

    @Test
    void autoTakesEpollWhereItLoads() {
        assumeTrue(Epoll.isAvailable(), "epoll loads on this machine (Linux with the native library)");
        System.setProperty(QuicTransport.TRANSPORT_PROPERTY, "auto");
        try (QuicTransport transport = QuicTransport.create("choice-test", 1)) {
            assertThat(transport.isEpoll()).isTrue();
        }
        System.clearProperty(QuicTransport.TRANSPORT_PROPERTY);
        try (QuicTransport transport = QuicTransport.create("choice-test", 1)) {
            assertThat(transport.isEpoll()).isTrue();
        }
    }

    @Test
    void valuesAreReadWithoutCaseAndSpace() {
        assertThat(QuicTransport.forceNio(null)).isFalse();
        assertThat(QuicTransport.forceNio("")).isFalse();
        assertThat(QuicTransport.forceNio(" AUTO ")).isFalse();
        assertThat(QuicTransport.forceNio("nio")).isTrue();
        assertThat(QuicTransport.forceNio("NIO ")).isTrue();
    }

    @Test
    void anUnknownValueIsRefusedByName() {
        System.setProperty(QuicTransport.TRANSPORT_PROPERTY, "kqueue");
        assertThatThrownBy(() -> QuicTransport.create("choice-test", 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-Dmpft.transport=kqueue")
                .hasMessageContaining("auto")
                .hasMessageContaining("nio");
    }
}
