package org.mpft.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FreeSpaceTest {

    @TempDir
    Path folder;

    @Test
    void aFolderHasTheUsableSpaceOfItsFileSystem() throws Exception {
        long usable = FreeSpace.FILE_STORE.usableBytes(folder);
        long byFileStore = Files.getFileStore(folder).getUsableSpace();
        assertThat(usable).isPositive();
        // other processes write meanwhile: the same file system within 64 MiB
        assertThat(usable).isBetween(byFileStore - (64L << 20), byFileStore + (64L << 20));
    }

    @Test
    void aMissingFolderIsAnErrorNotZeroBytesFree() {
        Path missing = folder.resolve("not-there");
        assertThatThrownBy(() -> FreeSpace.FILE_STORE.usableBytes(missing))
                .isInstanceOf(NoSuchFileException.class).hasMessageContaining("not-there");
    }
}
