package org.mpft.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.mpft.protocol.Strategy;

class DownloadRequestTest {

    private static final HostKeyVerifier TRUST_ALL = (server, sha256, vouchedBy) -> { };
    private static final Credentials PASSWORD = new Credentials.Password("pw".toCharArray());

    @Test
    void builderFillsInTheDefaults() {
        DownloadRequest request = DownloadRequest.builder("alice", "::1", "data/f.bin", Path.of("/tmp/f.bin"))
                .credentials(PASSWORD).hostKeys(TRUST_ALL).build();
        assertThat(request).isEqualTo(new DownloadRequest("alice", "::1", DownloadRequest.DEFAULT_PORT, "data/f.bin",
                Path.of("/tmp/f.bin"), PASSWORD, TRUST_ALL, Strategy.SERVER_DEFAULT, true,
                DownloadRequest.DEFAULT_RETRIES, false));
        assertThat(request.server()).isEqualTo("[::1]:7300");
        assertThat(request.partFile()).isEqualTo(Path.of("/tmp/f.bin.mpft-part"));
        assertThat(request.stateFile()).isEqualTo(Path.of("/tmp/f.bin.mpft-state"));
    }

    @Test
    void builderSetsEveryOption() {
        DownloadRequest request = DownloadRequest.builder("bob", "h", "x", Path.of("x")).port(7301)
                .credentials(PASSWORD).hostKeys(TRUST_ALL).strategy(Strategy.ADAPTIVE).resume(false).retries(0)
                .compress(true).busyWait(java.time.Duration.ofSeconds(5)).build();
        assertThat(request.busyWait()).hasSeconds(5);
        assertThat(request.port()).isEqualTo(7301);
        assertThat(request.strategy()).isEqualTo(Strategy.ADAPTIVE);
        assertThat(request.resume()).isFalse();
        assertThat(request.retries()).isZero();
        assertThat(request.compress()).isTrue();
        assertThat(request.server()).isEqualTo("h:7301");
    }

    @Test
    void missingOrBadOptionsAreRefused() {
        assertThatThrownBy(() -> DownloadRequest.builder("a", "h", "x", Path.of("x")).hostKeys(TRUST_ALL).build())
                .isInstanceOf(NullPointerException.class).hasMessage("credentials");
        assertThatThrownBy(() -> DownloadRequest.builder("a", "h", "x", Path.of("x")).credentials(PASSWORD).build())
                .isInstanceOf(NullPointerException.class).hasMessage("hostKeys");
        assertThatThrownBy(() -> DownloadRequest.builder("a", "h", "x", Path.of("x")).credentials(PASSWORD)
                .hostKeys(TRUST_ALL).port(0).build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DownloadRequest.builder("a", "h", "x", Path.of("x")).credentials(PASSWORD)
                .hostKeys(TRUST_ALL).retries(-1).build()).isInstanceOf(IllegalArgumentException.class);
    }
}
