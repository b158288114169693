package org.mpft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.mpft.protocol.ErrorCode;

class ExitCodesTest {

    @Test
    void theTeamNotesTable() {
        assertThat(ExitCodes.of(ErrorCode.INVALID_PATH)).isEqualTo(2);
        assertThat(ExitCodes.of(ErrorCode.AUTHENTICATION_FAILED)).isEqualTo(3);
        assertThat(ExitCodes.of(ErrorCode.FILE_NOT_FOUND)).isEqualTo(4);
        assertThat(ExitCodes.of(ErrorCode.ACCESS_DENIED)).isEqualTo(5);
        assertThat(ExitCodes.of(ErrorCode.FILE_TOO_LARGE)).isEqualTo(5);
        assertThat(ExitCodes.of(ErrorCode.INSUFFICIENT_SPACE)).isEqualTo(6);
        assertThat(ExitCodes.of(ErrorCode.SERVER_UNAVAILABLE)).isEqualTo(7);
        assertThat(ExitCodes.of(ErrorCode.CHUNK_TIMEOUT)).isEqualTo(7);
        assertThat(ExitCodes.of(ErrorCode.LIMIT_EXCEEDED)).isEqualTo(7);
        assertThat(ExitCodes.of(ErrorCode.CHUNK_CORRUPTION)).isEqualTo(8);
        assertThat(ExitCodes.of(ErrorCode.STALE_FILE)).isEqualTo(8);
        assertThat(ExitCodes.of(ErrorCode.CANCELLED)).isEqualTo(130);
        assertThat(ExitCodes.of(ErrorCode.INTERNAL_ERROR)).isEqualTo(1);
        assertThat(ExitCodes.of(ErrorCode.PROTOCOL_ERROR)).isEqualTo(1);
    }

    @Test
    void everyCodeHasAnExitCode() {
        for (ErrorCode code : ErrorCode.values()) {
            assertThat(ExitCodes.of(code)).isIn(1, 2, 3, 4, 5, 6, 7, 8, 130);
        }
    }

    @Test
    void everyExitCodeHasADistinctStableName() {
        int[] codes = {0, 1, 2, 3, 4, 5, 6, 7, 8, 130};
        java.util.Set<String> names = new java.util.HashSet<>();
        for (int code : codes) {
            names.add(ExitCodes.name(code));
        }
        assertThat(names).hasSize(codes.length).doesNotContain("exit-" + 7);
        assertThat(ExitCodes.name(7)).isEqualTo("unavailable");
        assertThat(ExitCodes.name(8)).isEqualTo("integrity");
        assertThat(ExitCodes.name(42)).isEqualTo("exit-42");
    }
}
