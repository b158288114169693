package org.mpft.plugin.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import org.mpft.api.FileAccess;
import org.mpft.api.Principal;
import org.junit.jupiter.api.Test;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.MpftException;

/**
 * What a client is told when a file cannot be opened: the requested path and the kind of refusal, never an
 * I/O exception's text (which names the server's folders). The host's refusals are simulated by a
 * {@link FileAccess} lambda: the tests run as root, for whom no file is unreadable by its mode.
 */
class FileOpenerTest {

    private static final String SERVER_PATH = "/srv/mpft/homes/alice/reports/q3.bin";
    private static final Principal ALICE = Principal.of("alice");

    private static MpftException refusal(FileAccess access) {
        return catchThrowableOfType(() -> new FileOpener(access, 1 << 30, 1 << 20).open(ALICE, "reports/q3.bin"),
                MpftException.class);
    }

    @Test
    void anUnreadableFileIsAccessDeniedNamingTheRequestedPathOnly() {
        MpftException e = refusal((user, path) -> {
            throw new AccessDeniedException(SERVER_PATH);
        });
        assertThat(e.code()).isEqualTo(ErrorCode.ACCESS_DENIED);
        assertThat(e.getMessage()).isEqualTo("access denied: reports/q3.bin").doesNotContain("/srv");
    }

    @Test
    void anIoFailureNamesNeitherTheServerPathNorTheExceptionText() {
        MpftException e = refusal((user, path) -> {
            throw new IOException(SERVER_PATH + ": Input/output error");
        });
        assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL_ERROR);
        assertThat(e.getMessage()).contains("reports/q3.bin").doesNotContain("/srv", "Input/output");
    }
}
