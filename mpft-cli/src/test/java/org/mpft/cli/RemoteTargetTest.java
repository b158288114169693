package org.mpft.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.MpftException;

class RemoteTargetTest {

    @Test
    void hostAndPath() throws Exception {
        assertThat(RemoteTarget.parse("alice@files.example.org:data/big.iso"))
                .isEqualTo(new RemoteTarget("alice", "files.example.org", 7300, "data/big.iso"));
    }

    @Test
    void leadingSlashMeansTheUsersRoot() throws Exception {
        assertThat(RemoteTarget.parse("alice@h:/data/big.iso").path()).isEqualTo("data/big.iso");
    }

    @Test
    void port() throws Exception {
        assertThat(RemoteTarget.parse("alice@h:7301:/x")).isEqualTo(new RemoteTarget("alice", "h", 7301, "x"));
        assertThat(RemoteTarget.parse("alice@h:7301:x")).isEqualTo(new RemoteTarget("alice", "h", 7301, "x"));
    }

    @Test
    void ipv6() throws Exception {
        assertThat(RemoteTarget.parse("bob@[::1]:7302:a/b")).isEqualTo(new RemoteTarget("bob", "::1", 7302, "a/b"));
        assertThat(RemoteTarget.parse("bob@[::1]:/a")).isEqualTo(new RemoteTarget("bob", "::1", 7300, "a"));
    }

    @Test
    void theUserMayBeLeftOut() throws Exception {
        assertThat(RemoteTarget.parse("files:data/big.iso")).isEqualTo(new RemoteTarget(null, "files", 7300, "data/big.iso"));
        assertThat(RemoteTarget.parse("h:7301:x")).isEqualTo(new RemoteTarget(null, "h", 7301, "x"));
        assertThat(RemoteTarget.parse("[::1]:a")).isEqualTo(new RemoteTarget(null, "::1", 7300, "a"));
        // an '@' after the host's ':' belongs to the path
        assertThat(RemoteTarget.parse("h:dir/a@b")).isEqualTo(new RemoteTarget(null, "h", 7300, "dir/a@b"));
    }

    @Test
    void fileName() throws Exception {
        assertThat(RemoteTarget.parse("a@h:x/y/z.bin").fileName()).isEqualTo("z.bin");
        assertThat(RemoteTarget.parse("a@h:z.bin").fileName()).isEqualTo("z.bin");
    }

    @ParameterizedTest
    @ValueSource(strings = {"@h:x", "a@h", "a@:x", "a@h:", "a@[::1", "a@[::1]x", "a@h:99999:x", "a@h:0:x"})
    void badShapes(String text) {
        assertThatThrownBy(() -> RemoteTarget.parse(text)).isInstanceOf(RemoteTarget.SyntaxException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a@h:../x", "a@h:a/../../b", "a@h:/../etc/passwd", "a@h://etc/passwd", "a@h:..\\x",
        "a@h:a\u0001b", "a@h:a//b", "a@h:x/", "a@h:/"})
    void traversalAndBadNamesAreInvalidPaths(String text) {
        assertThatThrownBy(() -> RemoteTarget.parse(text)).isInstanceOf(MpftException.class)
                .satisfies(e -> assertThat(((MpftException) e).code()).isEqualTo(ErrorCode.INVALID_PATH));
    }
}
