package org.mpft.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RemoteGlobTest {

    @Test
    void starMatchesAnyRunIncludingNone() {
        RemoteGlob glob = RemoteGlob.compile("*.gz");
        assertThat(glob.matches("a.gz")).isTrue();
        assertThat(glob.matches(".gz")).as("a hidden name needs a pattern starting with a dot").isFalse();
        assertThat(glob.matches("a.gz.1")).isFalse();
        assertThat(RemoteGlob.compile("2026-*").matches("2026-")).isTrue();
        assertThat(RemoteGlob.compile("*").matches("anything at all")).isTrue();
    }

    @Test
    void questionMarkMatchesExactlyOneCharacter() {
        RemoteGlob glob = RemoteGlob.compile("f?.txt");
        assertThat(glob.matches("f1.txt")).isTrue();
        assertThat(glob.matches("f.txt")).isFalse();
        assertThat(glob.matches("f12.txt")).isFalse();
        assertThat(glob.matches("f\uD83D\uDE00.txt")).as("one code point, even outside the BMP").isTrue();
    }

    @Test
    void setsRangesAndNegation() {
        assertThat(RemoteGlob.compile("[abc].txt").matches("b.txt")).isTrue();
        assertThat(RemoteGlob.compile("[abc].txt").matches("d.txt")).isFalse();
        assertThat(RemoteGlob.compile("f[0-9][0-9]").matches("f42")).isTrue();
        assertThat(RemoteGlob.compile("f[0-9][0-9]").matches("f4x")).isFalse();
        assertThat(RemoteGlob.compile("[!a]*").matches("b1")).isTrue();
        assertThat(RemoteGlob.compile("[!a]*").matches("a1")).isFalse();
        assertThat(RemoteGlob.compile("[^a]*").matches("a1")).isFalse();
        assertThat(RemoteGlob.compile("[]x]").matches("]")).as("']' first belongs to the set").isTrue();
        assertThat(RemoteGlob.compile("[!]]").matches("]")).isFalse();
        assertThat(RemoteGlob.compile("[-a]").matches("-")).isTrue();
    }

    @Test
    void regularExpressionCharactersAreOrdinary() {
        assertThat(RemoteGlob.compile("a.b").matches("axb")).isFalse();
        assertThat(RemoteGlob.compile("a+(b)|c$^{1}").matches("a+(b)|c$^{1}")).isTrue();
        assertThat(RemoteGlob.compile("[.+]x").matches("+x")).isTrue();
        assertThat(RemoteGlob.compile("\\Q*").matches("\\Qa")).isTrue();
    }

    @Test
    void anUnclosedBracketIsAnOrdinaryCharacter() {
        assertThat(RemoteGlob.isPattern("a[b")).isFalse();
        assertThat(RemoteGlob.compile("a[b").matches("a[b")).isTrue();
        assertThat(RemoteGlob.isPattern("a[b]")).isTrue();
        assertThat(RemoteGlob.isPattern("plain-name.txt")).isFalse();
    }

    @Test
    void hiddenNamesOnlyByAPatternWithTheDot() {
        assertThat(RemoteGlob.compile("*").matches(".hidden")).isFalse();
        assertThat(RemoteGlob.compile("?hidden").matches(".hidden")).isFalse();
        assertThat(RemoteGlob.compile(".*").matches(".hidden")).isTrue();
    }

    @Test
    void patternsArePerSegment() {
        assertThat(RemoteGlob.hasPattern("logs/2026-*/x.gz")).isTrue();
        assertThat(RemoteGlob.hasPattern("logs/2026/x.gz")).isFalse();
        assertThatThrownBy(() -> RemoteGlob.compile("a/*")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("one path segment");
    }
}
