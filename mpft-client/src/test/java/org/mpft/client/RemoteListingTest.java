package org.mpft.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.ErrorFrame;
import org.mpft.protocol.MpftException;

/** The parts of {@link RemoteListing} that need no server (the conversation is tested by {@code ListIT}). */
class RemoteListingTest {

    @Test
    void aServerThatCannotDecodeListIsSaidNotToSupportListing() {
        // what a server that predates LIST answers: its decoder's message for the unknown type
        MpftException e = RemoteListing.refusal("h:7300",
                ErrorFrame.of(ErrorCode.PROTOCOL_ERROR, "unknown frame type 0x12"), true);
        assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED_VERSION);
        assertThat(e.getMessage()).startsWith("h:7300 does not support listing (its mpft/1 is older than LIST)");
    }

    @Test
    void otherRefusalsKeepTheirCodeAndMessage() {
        MpftException denied = RemoteListing.refusal("h:7300",
                ErrorFrame.of(ErrorCode.ACCESS_DENIED, "access denied: secret"), true);
        assertThat(denied.code()).isEqualTo(ErrorCode.ACCESS_DENIED);
        assertThat(denied.getMessage()).isEqualTo("access denied: secret");
        MpftException loginProtocol = RemoteListing.refusal("h:7300",
                ErrorFrame.of(ErrorCode.PROTOCOL_ERROR, "unknown frame type 0x12"), false);
        assertThat(loginProtocol.code()).isEqualTo(ErrorCode.PROTOCOL_ERROR);
    }

    @Test
    void aFolderIsSentWithoutLeadingOrTrailingSlashes() {
        assertThat(RemoteListing.folder("/")).isEmpty();
        assertThat(RemoteListing.folder(".")).isEmpty();
        assertThat(RemoteListing.folder("")).isEmpty();
        assertThat(RemoteListing.folder("/pub/tree/")).isEqualTo("pub/tree");
    }
}
