package org.mpft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.mpft.client.DownloadResult;
import org.mpft.client.PathSummary;
import org.junit.jupiter.api.Test;

class JsonSummaryTest {

    private static final DownloadResult RESULT = new DownloadResult(Path.of("/tmp/big.iso"), 12288, "ab12", 42, 3, 1, 0,
            List.of(new PathSummary("h:7300", "primary", 2, 8192, List.of(0, 2)),
                    new PathSummary("[::1]:7301", "secondary", 1, 4096, List.of(1))));

    @Test
    void summary() {
        assertThat(JsonSummary.of(RESULT, false)).isEqualTo("{\"file\":\"/tmp/big.iso\",\"bytes\":12288,\"sha256\":\"ab12\","
                + "\"elapsedMs\":42,\"chunks\":3,\"retries\":1,\"resumedChunks\":0,\"droppedChunks\":0,\"paths\":["
                + "{\"server\":\"h:7300\",\"role\":\"primary\",\"chunks\":2,\"bytes\":8192},"
                + "{\"server\":\"[::1]:7301\",\"role\":\"secondary\",\"chunks\":1,\"bytes\":4096}]}");
    }

    @Test
    void droppedChunksAreCounted() {
        DownloadResult result = new DownloadResult(Path.of("/f"), 4096, "ab", 1, 1, 0, 0, List.of(), null, 5);
        assertThat(JsonSummary.of(result, false)).contains("\"resumedChunks\":0,\"droppedChunks\":5,\"paths\":[]");
    }

    @Test
    void verboseAddsChunkIndices() {
        assertThat(JsonSummary.of(RESULT, true))
                .contains("\"bytes\":8192,\"chunkIndices\":[0,2]}")
                .contains("\"bytes\":4096,\"chunkIndices\":[1]}");
    }

    @Test
    void aLostPathSaysWhy() {
        DownloadResult result = new DownloadResult(Path.of("/f"), 4096, "ab", 1, 1, 0, 0,
                List.of(new PathSummary("h:7300", "primary", 1, 4096, List.of(0)),
                        new PathSummary("h:7301", "secondary", 0, 0, List.of(), "h:7301: no packet for 30 s")));
        assertThat(result.paths().get(1).lost()).isEqualTo("h:7301: no packet for 30 s");
        assertThat(JsonSummary.of(result, false))
                .contains("{\"server\":\"h:7300\",\"role\":\"primary\",\"chunks\":1,\"bytes\":4096}")
                .contains("{\"server\":\"h:7301\",\"role\":\"secondary\",\"chunks\":0,\"bytes\":0,"
                        + "\"lost\":\"h:7301: no packet for 30 s\"}");
    }

    @Test
    void escaping() {
        assertThat(JsonSummary.quote("a\"b\\c\nd\re\tf\u0001g\u007fh\u00e9\u2028\ud83d\ude00/"))
                .isEqualTo("\"a\\\"b\\\\c\\nd\\re\\tf\\u0001g\\u007fh\\u00e9\\u2028\\ud83d\\ude00/\"");
        assertThat(JsonSummary.quote(null)).isEqualTo("null");
    }

    @Test
    void noPaths() {
        DownloadResult empty = new DownloadResult(Path.of("e"), 0, "x", 0, 0, 0, 0, List.of());
        assertThat(JsonSummary.of(empty, true)).endsWith("\"paths\":[]}");
    }

    @Test
    void failure() {
        assertThat(JsonSummary.failure(3, "server h:7300 not trusted\n\u00e9")).isEqualTo(
                "{\"error\":{\"exitCode\":3,\"name\":\"authentication\",\"message\":\"server h:7300 not trusted\\n\\u00e9\"}}");
    }
}
