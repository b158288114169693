package org.mpft.plugin.secondary;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.MpftException;

/** A secondary serves a client's NACKs of one chunk at most mpft.chunk-retries times. */
class ResendCapTest {

    @Test
    void aChunkIsResentAtMostMaxTimesThenTheTransferFailsNamingIt() throws Exception {
        ResendCap cap = new ResendCap(3);
        for (int i = 0; i < 3; i++) {
            cap.askedAgain(5, "transfer 9 of p1 on sec-1");
            cap.askedAgain(6, "transfer 9 of p1 on sec-1");
        }
        assertThatThrownBy(() -> cap.askedAgain(5, "transfer 9 of p1 on sec-1"))
                .isInstanceOfSatisfying(MpftException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CHUNK_CORRUPTION);
                    assertThat(e.getMessage()).contains("chunk 5 of transfer 9 of p1 on sec-1", "4 times",
                            "3 resends allowed");
                });
    }

    @Test
    void zeroAllowsNoResend() {
        ResendCap cap = new ResendCap(0);
        assertThatThrownBy(() -> cap.askedAgain(0, "t")).isInstanceOf(MpftException.class);
    }
}
