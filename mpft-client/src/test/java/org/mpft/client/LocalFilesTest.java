package org.mpft.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserPrincipal;
import java.util.BitSet;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mpft.protocol.ChunkPlan;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.MpftException;

/**
 * A local attacker who can write into the output's folder plants links or files of theirs under the names
 * of a download's part, state and temporary state files, or under the output's own name: the download
 * refuses (naming the file) or replaces the link itself, and the link's target keeps its bytes and mtime.
 */
@Timeout(60)
class LocalFilesTest {

    private static final int CHUNK = ChunkPlan.MIN_CHUNK_SIZE;
    private static final FileTime LONG_AGO = FileTime.fromMillis(1_600_000_000_000L);
    private static final byte[] VICTIM_BYTES = "the victim's file, which must never change\n".getBytes();

    @TempDir
    Path dir;

    private Path output;
    private Path victim;
    private final FileIdentity identity = new FileIdentity("files.example.org:7300", "data/f.bin", 3L * CHUNK + 17,
            1_700_000_000_000L, CHUNK);

    @BeforeEach
    void setUp() throws Exception {
        output = dir.resolve("out.bin");
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        victim = elsewhere.resolve("victim.txt");
        Files.write(victim, VICTIM_BYTES);
        Files.setLastModifiedTime(victim, LONG_AGO);
    }

    private ChunkManager open(boolean resume, LocalUser user) throws Exception {
        return ChunkManager.open(output, identity, resume, FreeSpace.FILE_STORE, FlushTimer.DAEMON, user);
    }

    private Path sibling(String suffix) {
        return ChunkManager.sibling(output, suffix);
    }

    private void assertVictimUntouched() throws Exception {
        assertThat(Files.readAllBytes(victim)).isEqualTo(VICTIM_BYTES);
        assertThat(Files.getLastModifiedTime(victim)).isEqualTo(LONG_AGO);
    }

    private static byte[] source(int size) {
        byte[] bytes = new byte[size];
        new Random(3).nextBytes(bytes);
        return bytes;
    }

    private void writeAll(ChunkManager manager, byte[] source) throws Exception {
        ChunkPlan plan = identity.plan();
        for (int i = 0; i < plan.chunkCount(); i++) {
            manager.write(i, ByteBuffer.wrap(source, (int) plan.offset(i), plan.length(i)).slice());
        }
    }

    @Test
    void aPartFileLinkedToAnotherFileIsRefusedAndItsTargetUntouched() throws Exception {
        for (boolean resume : new boolean[] {true, false}) {
            Path part = Files.createSymbolicLink(sibling(ChunkManager.PART_SUFFIX), victim);
            assertThatThrownBy(() -> open(resume, LocalUser.PROCESS))
                    .isInstanceOfSatisfying(MpftException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PATH);
                        assertThat(e.getMessage()).contains(part.toString()).contains("symbolic link");
                    });
            assertThat(Files.isSymbolicLink(part)).isTrue();
            assertThat(Files.exists(sibling(ChunkManager.STATE_SUFFIX), LinkOption.NOFOLLOW_LINKS)).isFalse();
            assertVictimUntouched();
            Files.delete(part);
        }
    }

    @Test
    void aStateFileOrItsTemporaryLinkedToAnotherFileIsRefused() throws Exception {
        for (String suffix : new String[] {ChunkManager.STATE_SUFFIX, ChunkManager.STATE_SUFFIX + ".tmp"}) {
            Path link = Files.createSymbolicLink(sibling(suffix), victim);
            assertThatThrownBy(() -> open(true, LocalUser.PROCESS))
                    .isInstanceOfSatisfying(MpftException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PATH);
                        assertThat(e.getMessage()).contains(link.toString());
                    });
            assertThat(Files.exists(sibling(ChunkManager.PART_SUFFIX), LinkOption.NOFOLLOW_LINKS)).isFalse();
            assertVictimUntouched();
            Files.delete(link);
        }
    }

    @Test
    void aFolderUnderThePartNameIsRefused() throws Exception {
        Files.createDirectory(sibling(ChunkManager.PART_SUFFIX));
        assertThatThrownBy(() -> open(true, LocalUser.PROCESS))
                .isInstanceOfSatisfying(MpftException.class, e ->
                        assertThat(e.getMessage()).contains("not a regular file"));
    }

    @Test
    void aPartialDownloadOwnedBySomeoneElseIsNotResumed() throws Exception {
        try (ChunkManager manager = open(true, LocalUser.PROCESS)) {
            manager.write(0, ByteBuffer.wrap(source(CHUNK)));
        }
        UserPrincipal stranger = () -> "mallory-" + System.nanoTime();
        assertThatThrownBy(() -> open(true, () -> stranger))
                .isInstanceOfSatisfying(MpftException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PATH);
                    assertThat(e.getMessage()).contains(sibling(ChunkManager.PART_SUFFIX).toString())
                            .contains("belongs to");
                });
        // its own user resumes it
        try (ChunkManager manager = open(true, LocalUser.PROCESS)) {
            assertThat(manager.resumedChunks()).isEqualTo(1);
        }
    }

    @Test
    void aLeftOverTemporaryStateOfOursIsReplaced() throws Exception {
        Files.write(sibling(ChunkManager.STATE_SUFFIX + ".tmp"), new byte[] {1, 2, 3});
        try (ChunkManager manager = open(true, LocalUser.PROCESS)) {
            manager.flush();
        }
        assertThat(Files.exists(sibling(ChunkManager.STATE_SUFFIX + ".tmp"))).isFalse();
        assertThat(Files.isRegularFile(sibling(ChunkManager.STATE_SUFFIX), LinkOption.NOFOLLOW_LINKS)).isTrue();
    }

    @Test
    void aTemporaryStateLinkPlantedDuringTheDownloadIsNotFollowed() throws Exception {
        try (ChunkManager manager = open(true, LocalUser.PROCESS)) {
            Path link = Files.createSymbolicLink(sibling(ChunkManager.STATE_SUFFIX + ".tmp"), victim);
            assertThatThrownBy(manager::flush).hasMessageContaining(link.toString());
            assertVictimUntouched();
            manager.flush(); // the planted link was unlinked: the next state write goes through
        }
        assertVictimUntouched();
    }

    @Test
    void aLinkPlantedUnderTheOutputsNameIsReplacedNotFollowed() throws Exception {
        byte[] source = source((int) identity.size());
        Path link = Files.createSymbolicLink(output, victim);
        try (ChunkManager manager = open(true, LocalUser.PROCESS)) {
            writeAll(manager, source);
            manager.finish();
        }
        assertThat(Files.isSymbolicLink(link)).isFalse();
        assertThat(Files.readAllBytes(output)).isEqualTo(source);
        assertVictimUntouched();
    }

    @Test
    void aStateLinkPlantedDuringTheDownloadIsReplacedNotFollowed() throws Exception {
        try (ChunkManager manager = open(true, LocalUser.PROCESS)) {
            Files.deleteIfExists(sibling(ChunkManager.STATE_SUFFIX)); // a state is written by the first flush
            Files.createSymbolicLink(sibling(ChunkManager.STATE_SUFFIX), victim);
            manager.flush();
        }
        assertThat(Files.isSymbolicLink(sibling(ChunkManager.STATE_SUFFIX))).isFalse();
        assertVictimUntouched();
        assertThat(new StateFile(sibling(ChunkManager.STATE_SUFFIX)).read(sibling(ChunkManager.PART_SUFFIX),
                identity).held()).isEqualTo(new BitSet());
    }

    @Test
    void theProcessUserOwnsTheFilesItCreates() throws Exception {
        Path mine = Files.createFile(dir.resolve("mine"));
        assertThat(Files.getOwner(mine)).isEqualTo(LocalUser.PROCESS.principal());
    }
}
