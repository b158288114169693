package org.mpft.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mpft.protocol.MpftException;

/** The SSH form of a target, and the direct form it leaves to {@link RemoteTarget}. */
class SshTargetTest {

    @Test
    void hostAndPathWithOrWithoutUser() throws MpftException {
        assertThat(SshTarget.parse("files:/big.bin")).isEqualTo(new SshTarget(null, "files", "big.bin"));
        assertThat(SshTarget.parse("alice@files:data/x")).isEqualTo(new SshTarget("alice", "files", "data/x"));
        assertThat(SshTarget.parse("bob@[::1]:/a")).isEqualTo(new SshTarget("bob", "::1", "a"));
        assertThat(SshTarget.parse("files:/a/b.bin").fileName()).isEqualTo("b.bin");
        assertThat(SshTarget.parse("files:x").destination()).isEqualTo("files");
        assertThat(SshTarget.parse("al@files:x").destination()).isEqualTo("al@files");
    }

    @ParameterizedTest
    @ValueSource(strings = {"alice@h:7300:x", "h:7301:/x", "nohost", "@h:x", "h:", "-oProxyCommand=x:y", "[::1",
        "a@:x"})
    void theDirectFormAndMalformedTargetsAreLeftToTheDirectParser(String text) throws MpftException {
        assertThat(SshTarget.parse(text)).isNull();
    }

    @Test
    void aBadPathIsRefused() {
        assertThatThrownBy(() -> SshTarget.parse("files:../etc/passwd")).isInstanceOf(MpftException.class);
    }
}
