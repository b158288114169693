package org.mpft.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.mpft.client.BatchFile;
import org.mpft.client.BatchListener;
import org.mpft.client.BatchRequest;
import org.mpft.client.BatchResult;

/**
 * A batch longer than what the server allows on one session ({@code mpft.max-transfers-per-session}): the
 * server ends the session at the OPEN over the limit, and the batch goes on over a new one, with no busy wait
 * (the fixture's requests have none), so no file fails.
 */
@Timeout(180)
class BatchSessionLimitsIT {

    private static final int PER_SESSION = 5;

    @RegisterExtension
    static final MpftHost host = MpftHost.builder()
            .user(HostProcess.User.withPassword("bob", "bob-pw"))
            .pluginProperty("mpft.max-transfers-per-session", Integer.toString(PER_SESSION))
            .build();

    @TempDir
    Path out;

    @Test
    void aBatchGoesOnOverANewSessionWhenTheServerEndsOneAtItsLimit() throws Exception {
        List<BatchFile> files = new ArrayList<>();
        for (int i = 0; i < 4 * PER_SESSION + 3; i++) {
            Path source = host.randomFile("many/f" + i + ".bin", 100 + i, i);
            files.add(new BatchFile("many/f" + i + ".bin", out.resolve("f" + i + ".bin"), Files.size(source),
                    Files.getLastModifiedTime(source).toMillis(), -1));
        }

        BatchResult result = host.client().downloadBatch(BatchRequest.builder(host.request("unused", out, false),
                files).sessions(1).build(), BatchListener.NONE);

        assertThat(result.failures()).isEmpty();
        for (BatchFile file : files) {
            assertThat(Files.mismatch(file.output(), host.home("bob").resolve(file.remotePath()))).isEqualTo(-1);
        }
    }
}
