package org.mpft.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mpft.protocol.AuthToken;
import org.mpft.protocol.Bytes;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.MpftException;

/** The AUTH frame of each login: a token source gives every login its own token. */
class LoginFramesTest {

    private static final Bytes CHALLENGE = Bytes.of(new byte[32]);
    private static final Bytes CERT = Bytes.of(new byte[32]);

    @Test
    void eachLoginWithATokenSourcePresentsTheNextToken() throws Exception {
        Deque<byte[]> tokens = new ArrayDeque<>(List.of(new byte[] {1, 1}, new byte[] {2, 2}));
        Credentials credentials = new Credentials.TokenSource(tokens::poll);

        AuthToken first = (AuthToken) LoginFrames.login("alice", credentials, CHALLENGE, CERT);
        AuthToken second = (AuthToken) LoginFrames.login("alice", credentials, CHALLENGE, CERT);

        assertThat(first.user()).isEqualTo("alice");
        assertThat(first.token()).isEqualTo(Bytes.of(new byte[] {1, 1}));
        assertThat(second.token()).isEqualTo(Bytes.of(new byte[] {2, 2}));
    }

    @Test
    void aSourceThatFailsFailsTheLoginWithItsCode() {
        Credentials failing = new Credentials.TokenSource(() -> {
            throw new MpftException(ErrorCode.SERVER_UNAVAILABLE, "ssh failed");
        });
        Credentials empty = new Credentials.TokenSource(() -> null);

        assertThatThrownBy(() -> LoginFrames.login("alice", failing, CHALLENGE, CERT))
                .isInstanceOfSatisfying(MpftException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.SERVER_UNAVAILABLE));
        assertThatThrownBy(() -> LoginFrames.login("alice", empty, CHALLENGE, CERT))
                .hasMessageContaining("gave no token");
    }

    @Test
    void aTokenSourceDoesNotShowInToString() {
        assertThat(new Credentials.TokenSource(() -> new byte[] {1})).hasToString("TokenSource[***]");
    }
}
