package org.mpft.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.mpft.client.ProgressListener;
import org.mpft.protocol.MpftException;

/**
 * A requested path that holds a line break and a terminal escape cannot forge a log line or recolour an
 * admin's terminal: the server logs it as one line, escaped.
 */
@Timeout(300)
class LogEscapingIT {

    /** A forged second log line, in red. */
    private static final String HOSTILE = "evil\n\u001b[31mINFO login of 'root' accepted\u001b[0m.bin";

    @RegisterExtension
    static final MpftHost host = MpftHost.builder()
            .user(HostProcess.User.withPassword("alice", "alice-pw"))
            .quiet()
            .build();

    @Test
    void aPathWithALineBreakAndAnEscapeIsLoggedAsOneEscapedLine(@TempDir Path dir) throws Exception {
        MpftException refused = catchThrowableOfType(() -> host.client().download(
                host.request(HOSTILE, dir.resolve("out.bin"), false), ProgressListener.NONE), MpftException.class);
        assertThat(refused).as("the path is refused").isNotNull();
        String escaped = "evil\\n\\u001b[31mINFO login of 'root' accepted\\u001b[0m.bin";
        Poll.until("the refusal is logged", Poll.PATIENCE, () -> host.output().contains(escaped), host::output);
        String log = host.output();
        List<String> lines = log.lines().filter(line -> line.contains(escaped)).toList();
        assertThat(lines).as("one line names the path").isNotEmpty()
                .allMatch(line -> line.contains("alice may not download"));
        assertThat(log).as("no raw escape and no forged line").doesNotContain("\u001b")
                .doesNotContain("\nINFO login of 'root'").doesNotContain("\n\u001b[31mINFO");
    }
}
