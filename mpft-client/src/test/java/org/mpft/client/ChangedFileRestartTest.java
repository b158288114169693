package org.mpft.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.MpftException;

class ChangedFileRestartTest {

    private final List<String> log = new ArrayList<>();

    private BusyBackoff.Attempt<String> failing(ErrorCode... codes) {
        int[] n = {0};
        return () -> {
            log.add("attempt");
            if (n[0] < codes.length) {
                throw new MpftException(codes[n[0]++], "server: /data/f.bin changed");
            }
            return "done";
        };
    }

    private String run(BusyBackoff.Attempt<String> attempt) throws Exception {
        return ChangedFileRestart.run(attempt, () -> log.add("start over"), "/data/f.bin", Path.of("out.bin"));
    }

    @Test
    void aFileThatDoesNotChangeIsFetchedOnce() throws Exception {
        assertThat(run(failing())).isEqualTo("done");
        assertThat(log).containsExactly("attempt");
    }

    @Test
    void aFileThatChangedOnceIsStartedOverFromScratchOnce() throws Exception {
        assertThat(run(failing(ErrorCode.FILE_CHANGED))).isEqualTo("done");
        assertThat(log).containsExactly("attempt", "start over", "attempt");
    }

    @Test
    void aFileThatChangesAgainFailsAsAnIntegrityErrorNamingTheFileAndTheOutput() {
        assertThatThrownBy(() -> run(failing(ErrorCode.FILE_CHANGED, ErrorCode.FILE_CHANGED)))
                .isInstanceOfSatisfying(MpftException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.FILE_CHANGED);
                    assertThat(e.getMessage()).contains("/data/f.bin", "twice", "nothing was written to out.bin");
                });
        assertThat(log).containsExactly("attempt", "start over", "attempt");
    }

    @Test
    void otherFailuresAreNotRetried() {
        assertThatThrownBy(() -> run(failing(ErrorCode.CHUNK_CORRUPTION)))
                .isInstanceOfSatisfying(MpftException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.CHUNK_CORRUPTION));
        assertThat(log).containsExactly("attempt");
        log.clear();
        assertThatThrownBy(() -> run(failing(ErrorCode.FILE_CHANGED, ErrorCode.ACCESS_DENIED)))
                .isInstanceOfSatisfying(MpftException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.ACCESS_DENIED));
    }
}
