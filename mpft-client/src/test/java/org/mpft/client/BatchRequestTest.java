package org.mpft.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.MpftException;
import org.mpft.protocol.Strategy;

class BatchRequestTest {

    private static final DownloadRequest CONNECTION = DownloadRequest.builder("u", "h", ".", Path.of("out"))
            .port(7301).credentials(new Credentials.Password("pw".toCharArray()))
            .hostKeys((server, sha256, vouchedBy) -> { }).strategy(Strategy.ALTERNATE).compress(true).resume(false)
            .build();

    @Test
    void eachFilesRequestIsTheConnectionsWithItsPathOutputAndTheBatchsResume() {
        BatchFile file = new BatchFile("a/b.bin", Path.of("out/b.bin"));
        BatchRequest batch = BatchRequest.builder(CONNECTION, List.of(file)).build();

        DownloadRequest request = batch.requestFor(file);

        assertThat(batch.sessions()).isEqualTo(BatchRequest.DEFAULT_SESSIONS);
        assertThat(batch.transfersPerSession()).isEqualTo(BatchRequest.DEFAULT_TRANSFERS_PER_SESSION).isEqualTo(4);
        assertThat(batch.resume()).isTrue();
        assertThat(request.remotePath()).isEqualTo("a/b.bin");
        assertThat(request.output()).isEqualTo(Path.of("out/b.bin"));
        assertThat(request.resume()).isTrue();
        assertThat(request.port()).isEqualTo(7301);
        assertThat(request.strategy()).isEqualTo(Strategy.ALTERNATE);
        assertThat(request.compress()).isTrue();
        assertThat(request.credentials()).isSameAs(CONNECTION.credentials());
    }

    @Test
    void badSessionsModesAndSharedOutputsAreRefusedByName() {
        List<BatchFile> none = List.of();
        assertThatThrownBy(() -> BatchRequest.builder(CONNECTION, none).sessions(0).build())
                .hasMessageContaining("sessions");
        assertThatThrownBy(() -> BatchRequest.builder(CONNECTION, none).sessions(17).build())
                .hasMessageContaining("sessions");
        assertThatThrownBy(() -> BatchRequest.builder(CONNECTION, none).transfersPerSession(0).build())
                .hasMessageContaining("transfers per session out of range (1 to 16): 0");
        assertThatThrownBy(() -> BatchRequest.builder(CONNECTION, none).transfersPerSession(17).build())
                .hasMessageContaining("transfers per session out of range (1 to 16): 17");
        assertThat(BatchRequest.builder(CONNECTION, none).transfersPerSession(16).build().transfersPerSession())
                .isEqualTo(16);
        assertThatThrownBy(() -> new BatchFile("x", Path.of("x"), 1, 1, 010000)).hasMessageContaining("permissions");
        List<BatchFile> twice = List.of(new BatchFile("a", Path.of("out/same")), new BatchFile("b", Path.of("out/./same")));
        assertThatThrownBy(() -> BatchRequest.builder(CONNECTION, twice).build()).hasMessageContaining("out/same");
    }

    @Test
    void theWorstErrorIsTheFirstThatIsNotACancel() {
        BatchFile a = new BatchFile("a", Path.of("a"));
        BatchFile b = new BatchFile("b", Path.of("b"));
        BatchFile c = new BatchFile("c", Path.of("c"));
        MpftException cancelled = new MpftException(ErrorCode.CANCELLED, "stopped");
        MpftException denied = new MpftException(ErrorCode.ACCESS_DENIED, "no");
        BatchResult result = new BatchResult(List.of(new FileOutcome(a, null, cancelled, false),
                new FileOutcome(b, null, null, true), new FileOutcome(c, null, denied, false)), 0, 1);

        assertThat(result.worstError()).isSameAs(denied);
        assertThat(result.failures()).hasSize(2);
        assertThat(result.skipped()).extracting(FileOutcome::file).containsExactly(b);
        assertThat(result.succeeded()).isFalse();
        assertThat(new BatchResult(List.of(new FileOutcome(a, null, cancelled, false)), 0, 1).worstError())
                .isSameAs(cancelled);
        assertThat(new BatchResult(List.of(), 0, 0).worstError()).isNull();
    }
}
