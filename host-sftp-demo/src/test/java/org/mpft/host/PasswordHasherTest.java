package org.mpft.host;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PasswordHasherTest {

    @Test
    void hashVerifiesItsPasswordOnly() {
        String hash = PasswordHasher.hash("correct horse".toCharArray());
        assertThat(PasswordHasher.verify("correct horse".toCharArray(), hash)).isTrue();
        assertThat(PasswordHasher.verify("correct horsE".toCharArray(), hash)).isFalse();
        assertThat(PasswordHasher.verify(new char[0], hash)).isFalse();
    }

    @Test
    void hashIsSaltedAndNeverContainsThePassword() {
        String a = PasswordHasher.hash("s3cret-pass".toCharArray());
        String b = PasswordHasher.hash("s3cret-pass".toCharArray());
        assertThat(a).isNotEqualTo(b).doesNotContain("s3cret-pass");
        assertThat(a).startsWith("pbkdf2-sha256$" + PasswordHasher.ITERATIONS + "$");
        assertThat(PasswordHasher.ITERATIONS).isGreaterThanOrEqualTo(210_000);
        assertThat(PasswordHasher.isWellFormed(a)).isTrue();
    }

    @Test
    void unknownUserOrMalformedHashIsRefused() {
        assertThat(PasswordHasher.verify("no such user".toCharArray(), null)).isFalse();
        assertThat(PasswordHasher.verify("x".toCharArray(), "plain-text")).isFalse();
        assertThat(PasswordHasher.isWellFormed("pbkdf2-sha256$x$abc$def")).isFalse();
        assertThat(PasswordHasher.isWellFormed("md5$1000$YWJjZGVmZ2g$YWJjZGVmZ2hpamtsbW5vcA")).isFalse();
    }
}
