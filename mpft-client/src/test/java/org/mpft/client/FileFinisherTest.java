package org.mpft.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mpft.protocol.ChunkPlan;
import org.mpft.protocol.MpftException;

/** Commits of sealed downloads on the finisher's threads, with real part files on a temporary folder. */
@Timeout(60)
class FileFinisherTest {

    private static final int CHUNK = ChunkPlan.MIN_CHUNK_SIZE;

    @TempDir
    Path dir;

    private ChunkManager sealed(Path output, byte[] bytes) throws Exception {
        FileIdentity id = new FileIdentity("h:1", "f", bytes.length, 1_700_000_000_000L, CHUNK);
        ChunkManager manager = ChunkManager.open(output, id, true, FreeSpace.FILE_STORE, FlushTimer.DAEMON,
                LocalUser.PROCESS);
        manager.write(0, ByteBuffer.wrap(bytes));
        manager.seal();
        return manager;
    }

    private static DownloadResult result(Path output) {
        return new DownloadResult(output, 3, "00", 1, 1, 0, 0, List.of());
    }

    @Test
    void theOutcomeCompletesOnceTheFileIsUnderItsName() throws Exception {
        Path output = dir.resolve("a.bin");
        ChunkManager manager = sealed(output, new byte[] {1, 2, 3});
        assertThat(output).as("sealed, not committed").doesNotExist();
        CompletableFuture<DownloadResult> outcome = new CompletableFuture<>();
        CompletableFuture<Boolean> landedFirst = outcome.thenApply(r -> Files.exists(output));
        try (FileFinisher finisher = new FileFinisher(1, 1)) {
            finisher.commit(manager, output, result(output), null, outcome);
        }
        assertThat(outcome).isDone();
        assertThat(landedFirst.get()).as("the file was under its name when the outcome completed").isTrue();
        assertThat(Files.readAllBytes(output)).containsExactly(1, 2, 3);
        assertThat(Files.getLastModifiedTime(output).toMillis()).isEqualTo(1_700_000_000_000L);
        assertThat(dir.resolve("a.bin" + ChunkManager.PART_SUFFIX)).doesNotExist();
    }

    @Test
    void aFailedCommitFailsTheOutcomeNamingTheOutput() throws Exception {
        Path output = dir.resolve("b.bin");
        ChunkManager manager = sealed(output, new byte[] {4, 5, 6});
        Files.createDirectories(output.resolve("in-the-way")); // a non-empty folder: the rename cannot replace it
        CompletableFuture<DownloadResult> outcome = new CompletableFuture<>();
        try (FileFinisher finisher = new FileFinisher(1, 1)) {
            finisher.commit(manager, output, result(output), null, outcome);
        }
        assertThatThrownBy(outcome::get).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(MpftException.class).hasMessageContaining(output.toString());
    }

    @Test
    void aFileSealedBeforeTheTransferFailedStillLandsAndTheOutcomeCarriesTheFailure() throws Exception {
        Path output = dir.resolve("c.bin");
        ChunkManager manager = sealed(output, new byte[] {7, 8, 9});
        MpftException lost = new MpftException(org.mpft.protocol.ErrorCode.SERVER_UNAVAILABLE, "DONE not sent");
        CompletableFuture<DownloadResult> outcome = new CompletableFuture<>();
        try (FileFinisher finisher = new FileFinisher(1, 1)) {
            finisher.commit(manager, output, result(output), lost, outcome);
        }
        assertThatThrownBy(outcome::get).cause().isSameAs(lost);
        assertThat(Files.readAllBytes(output)).containsExactly(7, 8, 9);
        assertThat(dir.resolve("c.bin" + ChunkManager.PART_SUFFIX)).doesNotExist();
    }

    @Test
    void commitsHandedOverBeyondTheQueueAndAfterCloseStillLand() throws Exception {
        FileFinisher finisher = new FileFinisher(1, 1);
        List<CompletableFuture<DownloadResult>> outcomes = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Path output = dir.resolve("f" + i);
            CompletableFuture<DownloadResult> outcome = new CompletableFuture<>();
            outcomes.add(outcome);
            finisher.commit(sealed(output, new byte[] {(byte) i}), output, result(output), null, outcome);
        }
        finisher.close();
        Path late = dir.resolve("late");
        CompletableFuture<DownloadResult> lateOutcome = new CompletableFuture<>();
        finisher.commit(sealed(late, new byte[] {9}), late, result(late), null, lateOutcome);
        outcomes.add(lateOutcome);
        for (CompletableFuture<DownloadResult> outcome : outcomes) {
            assertThat(outcome).isCompleted();
        }
        assertThat(late).exists();
    }
}
