package org.mpft.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The one name rule: a corpus of hostile names refused with a reason, and of good names accepted. */
class RemotePathTest {

    static final String EMPTY = "the name is empty";
    static final String TOO_LONG = "the name is longer than 4096 bytes";
    static final String SEGMENT_TOO_LONG = "a segment is longer than 255 bytes";
    static final String NUL = "NUL characters are not allowed";
    static final String CONTROL = "control characters are not allowed";
    static final String BACKSLASH = "backslashes are not allowed";
    static final String LOOK_ALIKE = "look-alike of '/', '\\' or '.' not allowed";
    static final String INVISIBLE = "invisible, unassigned or replacement character not allowed";
    static final String SEPARATOR = "line and paragraph separators are not allowed";
    static final String ABSOLUTE = "absolute paths are not allowed";
    static final String DRIVE = "drive paths are not allowed";
    static final String EMPTY_SEGMENT = "empty path segments are not allowed";
    static final String DOT = "'.' segments are not allowed";
    static final String DOT_DOT = "'..' segments are not allowed";
    static final String TRAILING = "a segment may not end with a dot or a space";

    static Arguments bad(String path, String reason) {
        return Arguments.of(path, reason);
    }

    static String segments(int count, String segment) {
        return String.join("/", Collections.nCopies(count, segment));
    }

    static Stream<Arguments> hostile() {
        List<Arguments> corpus = new ArrayList<>(List.of(
                bad(null, EMPTY),
                bad("", EMPTY),
                // traversal
                bad("..", DOT_DOT),
                bad("../x", DOT_DOT),
                bad("x/..", DOT_DOT),
                bad("a/../../b", DOT_DOT),
                bad("a/./../..", DOT),
                bad("./a", DOT),
                bad("a/.", DOT),
                bad(".", DOT),
                bad("...", TRAILING),
                // absolute and drive paths
                bad("/etc/passwd", ABSOLUTE),
                bad("//x", ABSOLUTE),
                bad("/", ABSOLUTE),
                bad("C:x", DRIVE),
                bad("c:", DRIVE),
                bad("Z:/windows", DRIVE),
                bad("c:\\x", BACKSLASH),
                // backslashes
                bad("a\\b", BACKSLASH),
                bad("..\\..\\x", BACKSLASH),
                bad("\\\\server\\share", BACKSLASH),
                // NUL, C0 (samples below), DEL, C1
                bad("a\u0000b", NUL),
                bad("\u0000", NUL),
                bad("a.txt\u0000.jpg", NUL),
                bad("a\u007Fb", CONTROL),
                bad("a\u0080b", CONTROL),
                bad("a\u0085b", CONTROL),
                bad("a\u009Bb", CONTROL),
                bad("a\u009Fb", CONTROL),
                // line and paragraph separators
                bad("a\u2028b", SEPARATOR),
                bad("a\u2029b", SEPARATOR),
                // invisible format and bidi characters
                bad("a\u200Bb", INVISIBLE),
                bad("a\u200Db", INVISIBLE),
                bad("evil\u202Etxt.exe", INVISIBLE),
                bad("a\u2066b", INVISIBLE),
                bad("\uFEFFa", INVISIBLE),
                bad("a\u00ADb", INVISIBLE),
                bad("a\u180Eb", INVISIBLE),
                // look-alikes of '/', '\' and '.'
                bad("a\u2215b", LOOK_ALIKE),
                bad("a\u2044b", LOOK_ALIKE),
                bad("a\uFF0Fb", LOOK_ALIKE),
                bad("a／b", LOOK_ALIKE),
                bad("a\uFF3Cb", LOOK_ALIKE),
                bad("a\u29F5b", LOOK_ALIKE), // REVERSE SOLIDUS OPERATOR
                bad("a\u27CBb", LOOK_ALIKE), // MATHEMATICAL RISING DIAGONAL
                bad("a\u27CDb", LOOK_ALIKE), // MATHEMATICAL FALLING DIAGONAL
                bad("\u2024\u2024/x", LOOK_ALIKE),
                bad("\u2025", LOOK_ALIKE),
                bad("‥/x", LOOK_ALIKE),
                bad("\u2026", LOOK_ALIKE),
                bad("\uFF0E\uFF0E/x", LOOK_ALIKE),
                bad("a\u3002b", LOOK_ALIKE),
                bad("\uFE52\uFE52", LOOK_ALIKE),
                bad("\uFE30/x", LOOK_ALIKE), // PRESENTATION FORM FOR VERTICAL TWO DOT LEADER: NFKC ".."
                bad("\uFE19", LOOK_ALIKE), // VERTICAL HORIZONTAL ELLIPSIS: NFKC "..."
                bad("\u2100", LOOK_ALIKE), // ACCOUNT OF: NFKC "a/c"
                bad("c\u2105o", LOOK_ALIKE), // CARE OF: NFKC "c/o"
                bad("\u2488", LOOK_ALIKE), // DIGIT ONE FULL STOP: NFKC "1."
                // trailing dots and spaces (Windows drops them: "a." and "a" would be one file)
                bad("a.", TRAILING),
                bad("x..", TRAILING),
                bad("a ", TRAILING),
                bad("a/b. ", TRAILING),
                bad("a /b", TRAILING),
                bad("dir./b", TRAILING),
                bad(" ", TRAILING),
                // empty segments
                bad("a//b", EMPTY_SEGMENT),
                bad("a/", EMPTY_SEGMENT),
                bad("a/b/", EMPTY_SEGMENT),
                // lengths
                bad("x".repeat(4097), TOO_LONG),
                bad(segments(17, "x".repeat(240)) + "y", TOO_LONG),
                bad(segments(21, "é".repeat(100)), TOO_LONG), // 2120 chars, 4220 bytes
                bad("x".repeat(256), SEGMENT_TOO_LONG),
                bad("a/" + "x".repeat(256) + "/b", SEGMENT_TOO_LONG),
                bad("é".repeat(128), SEGMENT_TOO_LONG), // 128 chars, 256 bytes
                bad("\uD83D\uDE00".repeat(64), SEGMENT_TOO_LONG), // 128 chars, 256 bytes
                // private use, unassigned, surrogates, replacement
                bad("a\uE000b", INVISIBLE),
                bad("a\uF8FFb", INVISIBLE),
                bad("a\uDB80\uDC00b", INVISIBLE), // U+F0000, supplementary private use
                bad("a\u0378b", INVISIBLE),
                bad("a\uFFFFb", INVISIBLE),
                bad("a\uDBFF\uDFFFb", INVISIBLE), // U+10FFFF
                bad("a\uD800b", INVISIBLE), // lone high surrogate
                bad("a\uDC00", INVISIBLE), // lone low surrogate
                bad("a\uFFFDb", INVISIBLE)));
        for (int c = 0x01; c < 0x20; c++) {
            corpus.add(bad("a" + (char) c + "b", CONTROL));
        }
        return corpus.stream();
    }

    static Stream<String> good() {
        return Stream.of(
                "a",
                "a/b/c.txt",
                ".hidden",
                "a/.config/x",
                "a..b",
                "...x", // decided: a segment that only starts with dots is an ordinary name
                "..x",
                "a.b.c",
                "données/été.iso",
                "日本語/ファイル.txt",
                "\uD83D\uDCBE/backup.tar",
                "a b/c d.txt",
                " leading-space", // only trailing spaces are refused
                "C", "C-:x", "a/C:x", "1:x", // only a letter then ':' at the very start is a drive
                "~/x", "$HOME", "a%2e%2e", "-rf",
                "a\u00A0b", // no-break space is visible enough and not folded
                "x".repeat(255),
                "é".repeat(127) + "x", // 255 bytes
                segments(17, "x".repeat(240)), // exactly 4096 bytes
                segments(16, "é".repeat(127)) + "/" + "x".repeat(16)); // 4096 bytes, 2048 chars
    }

    @Test
    void theCorpusIsLargeEnough() {
        assertThat(hostile().count()).isGreaterThanOrEqualTo(60);
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("hostile")
    void refusesHostileNames(String path, String reason) {
        assertThatThrownBy(() -> RemotePath.validate(path))
                .isExactlyInstanceOf(MpftException.class)
                .hasMessageStartingWith("invalid path " + RemotePath.quote(path) + ": ")
                .hasMessageContaining(reason)
                .satisfies(e -> {
                    assertThat(((MpftException) e).code()).isEqualTo(ErrorCode.INVALID_PATH);
                    assertThat(e.getMessage().codePoints().filter(cp -> Character.isISOControl(cp)
                            || Character.getType(cp) == Character.FORMAT)).as("no raw control char in message")
                            .isEmpty();
                });
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("good")
    void acceptsGoodNames(String path) throws MpftException {
        assertThat(RemotePath.validate(path)).isSameAs(path);
    }

    /**
     * Beyond the corpus: any string, built from path-like pieces (separators, dots, spaces, drive letters,
     * look-alikes, controls, long segments) and random characters, is either accepted unchanged or refused
     * with INVALID_PATH and a message without raw control characters; the rule never throws anything else.
     */
    @Test
    void anyStringIsAcceptedUnchangedOrRefusedWithInvalidPath() {
        String[] pieces = {"/", "\\", ".", "..", " ", "C:", "a", "é", "\u0000", "\u001B", "\u2215", "\uFF0E",
                "\u202E", "\uFFFD", "\uD83D\uDE00", "x".repeat(255), "é".repeat(128), "x".repeat(4000)};
        Seeded.check(1000, sample -> {
            StringBuilder path = new StringBuilder();
            int parts = sample.ints(0, 12);
            for (int i = 0; i < parts; i++) {
                path.append(sample.random().nextBoolean() ? sample.of(pieces) : sample.strings(8, true));
            }
            String candidate = path.toString();
            sample.note("path", RemotePath.quote(candidate));
            try {
                assertThat(RemotePath.validate(candidate)).isSameAs(candidate);
                assertThat(candidate.getBytes(StandardCharsets.UTF_8).length)
                        .isBetween(1, RemotePath.MAX_PATH_BYTES);
                assertThat(candidate).doesNotStartWith("/").doesNotContain("\\", "//", "\u0000");
            } catch (MpftException e) {
                assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PATH);
                assertThat(e.getMessage()).startsWith("invalid path " + RemotePath.quote(candidate) + ": ");
                assertThat(e.getMessage().codePoints().filter(cp -> Character.isISOControl(cp)
                        || Character.getType(cp) == Character.FORMAT)).as("no raw control char in message").isEmpty();
            }
        });
    }

    @Test
    void lengthLimitsCountUtf8Bytes() {
        String exact = segments(17, "x".repeat(240));
        String multiByte = segments(16, "é".repeat(127)) + "/" + "x".repeat(16);

        assertThat(exact.getBytes(StandardCharsets.UTF_8)).hasSize(RemotePath.MAX_PATH_BYTES);
        assertThat(multiByte.getBytes(StandardCharsets.UTF_8)).hasSize(RemotePath.MAX_PATH_BYTES);
        assertThat(multiByte.length()).isLessThan(RemotePath.MAX_PATH_BYTES);
        assertThat(segments(21, "é".repeat(100)).length()).isLessThan(RemotePath.MAX_PATH_BYTES);
    }

    @Test
    void joinPutsOneSlashBetweenAFolderAndANameAndTheRootIsEmpty() {
        assertThat(RemotePath.join("data/logs", "a.gz")).isEqualTo("data/logs/a.gz");
        assertThat(RemotePath.join("", "a.gz")).as("below the root").isEqualTo("a.gz");
        assertThat(RemotePath.join("data", "")).as("the folder itself").isEqualTo("data");
        assertThat(RemotePath.join("", "")).isEmpty();
    }

    @Test
    void fileNamesMayNotHoldASlash() throws MpftException {
        assertThat(RemotePath.validateFileName("big.iso")).isEqualTo("big.iso");
        assertThatThrownBy(() -> RemotePath.validateFileName("a/b"))
                .isInstanceOf(MpftException.class).hasMessageContaining("a file name may not contain '/'");
        assertThatThrownBy(() -> RemotePath.validateFileName(".."))
                .isInstanceOf(MpftException.class).hasMessageContaining(DOT_DOT);
        assertThatThrownBy(() -> RemotePath.validateFileName(null))
                .isInstanceOf(MpftException.class).hasMessageContaining(EMPTY);
    }

    @Test
    void quoteEscapesEverythingThatCouldMoveATerminal() {
        assertThat(RemotePath.quote(null)).isEqualTo("(none)");
        assertThat(RemotePath.quote("a\u001B[2Jb")).isEqualTo("'a\\u001b[2Jb'");
        assertThat(RemotePath.quote("a\u009B2Jb")).isEqualTo("'a\\u009b2Jb'");
        assertThat(RemotePath.quote("a\nb\rc\u007F")).isEqualTo("'a\\u000ab\\u000dc\\u007f'");
        assertThat(RemotePath.quote("a\u202Eb\u2028c")).isEqualTo("'a\\u202eb\\u2028c'");
        assertThat(RemotePath.quote("données")).isEqualTo("'données'");
    }

    @Test
    void quoteCutsLongNames() {
        String quoted = RemotePath.quote("é".repeat(300));

        assertThat(quoted).isEqualTo("'" + "é".repeat(200) + "...'");
    }

    /**
     * Overlong UTF-8 cannot exist in a Java String, so it is refused one level down: an OPEN frame whose
     * path spells '/' or '.' in an overlong form never decodes, so never reaches the path rule.
     */
    @Test
    void overlongUtf8SeparatorsNeverReachThePathRule() {
        for (String path : new String[] {"c0ae c0ae 2f 78", "2e2e c0af 78", "61 e080af 62", "e080ae e080ae"}) {
            byte[] utf8 = Wire.hex(path);
            ByteBuffer body = ByteBuffer.allocate(1 + 2 + utf8.length + 1 + 8)
                    .put((byte) FrameType.OPEN.wireValue()).putShort((short) utf8.length).put(utf8)
                    .put((byte) 1).putLong(0).flip();

            assertThatThrownBy(() -> FrameCodec.decodeFrame(body, FrameType.Link.CONTROL))
                    .isExactlyInstanceOf(ProtocolException.class)
                    .hasMessage("OPEN: path is not valid UTF-8");
        }
    }
}
