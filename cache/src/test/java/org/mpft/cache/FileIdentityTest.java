package org.mpft.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FileIdentityTest {

    @Test
    void aChangedSizeOrMtimeIsAnotherIdentity() {
        FileIdentity v1 = new FileIdentity("data/big.iso", 100, 1_000);
        assertThat(v1).isEqualTo(new FileIdentity("data/big.iso", 100, 1_000));
        assertThat(v1).isNotEqualTo(new FileIdentity("data/big.iso", 100, 1_001));
        assertThat(v1).isNotEqualTo(new FileIdentity("data/big.iso", 101, 1_000));
        assertThat(v1).isNotEqualTo(new FileIdentity("data/other.iso", 100, 1_000));
    }

    @Test
    void rejectsBadComponents() {
        assertThatThrownBy(() -> new FileIdentity(null, 1, 1)).isInstanceOf(NullPointerException.class)
                .hasMessage("path");
        assertThatThrownBy(() -> new FileIdentity("", 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FileIdentity("a", -1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new FileIdentity("a", 0, -5).size()).isZero();
    }
}
