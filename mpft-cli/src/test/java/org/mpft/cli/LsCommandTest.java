package org.mpft.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.mpft.protocol.ListingEntry;
import org.mpft.protocol.MpftException;

/** The pieces of {@code mpft ls} that need no server: the folder target, the escaping and the long format. */
class LsCommandTest {

    @Test
    void theRootIsWrittenAsColonSlashDotOrNothing() throws Exception {
        for (String text : new String[] {"alice@h:", "alice@h:/", "alice@h:.", "alice@h:7301:/", "alice@h:7301:"}) {
            RemoteTarget target = LsCommand.parseFolder(text);
            assertThat(target.path()).as(text).isEmpty();
            assertThat(target.user()).isEqualTo("alice");
            assertThat(target.host()).isEqualTo("h");
        }
        assertThat(LsCommand.parseFolder("alice@h:7301:/").port()).isEqualTo(7301);
    }

    @Test
    void aFolderMayEndWithASlashAndBadPathsAreRefused() throws Exception {
        assertThat(LsCommand.parseFolder("alice@h:pub/tree/").path()).isEqualTo("pub/tree");
        assertThat(LsCommand.parseFolder("alice@h:/pub").path()).isEqualTo("pub");
        assertThatThrownBy(() -> LsCommand.parseFolder("alice@h:pub/../x")).isInstanceOf(MpftException.class);
        // without USER@ none: the ssh configuration's User, else the local user name, as for mpft get
        assertThat(LsCommand.parseFolder("h:7300:pub").user()).isNull();
        assertThatThrownBy(() -> LsCommand.parseFolder("alice@:pub")).isInstanceOf(RemoteTarget.SyntaxException.class);
    }

    @Test
    void namesAreEscapedSoNoTerminalControlReachesTheScreen() {
        assertThat(LsCommand.escape("plain name.txt")).isEqualTo("plain name.txt");
        assertThat(LsCommand.escape("a\u001b[2Jb")).isEqualTo("a\\u001b[2Jb");
        assertThat(LsCommand.escape("x\u202ey\u0085z\\")).isEqualTo("x\\u202ey\\u0085z\\u005c");
        assertThat(LsCommand.escape("données")).isEqualTo("données");
    }

    @Test
    void theLongFormatIsModeSizeTimeName() {
        assertThat(LsCommand.longLine(new ListingEntry("f.txt", ListingEntry.Type.FILE, 42, 1_700_000_000_000L, 0644),
                "dir/f.txt")).isEqualTo("-rw-r--r--             42 2023-11-14 22:13 dir/f.txt");
        assertThat(LsCommand.longLine(new ListingEntry("d", ListingEntry.Type.DIRECTORY, 4096, 0, 0755), "d\u0007"))
                .isEqualTo("drwxr-xr-x           4096 1970-01-01 00:00 d\\u0007");
    }

    @Test
    void modesReadLikeLsLongIncludingTheSpecialBitsAndUnknown() {
        assertThat(mode(ListingEntry.Type.FILE, 0)).isEqualTo("----------");
        assertThat(mode(ListingEntry.Type.FILE, 0777)).isEqualTo("-rwxrwxrwx");
        assertThat(mode(ListingEntry.Type.FILE, 0640)).isEqualTo("-rw-r-----");
        assertThat(mode(ListingEntry.Type.FILE, 04755)).isEqualTo("-rwsr-xr-x");
        assertThat(mode(ListingEntry.Type.FILE, 04644)).isEqualTo("-rwSr--r--");
        assertThat(mode(ListingEntry.Type.DIRECTORY, 02750)).isEqualTo("drwxr-s---");
        assertThat(mode(ListingEntry.Type.DIRECTORY, 02740)).isEqualTo("drwxr-S---");
        assertThat(mode(ListingEntry.Type.DIRECTORY, 01777)).isEqualTo("drwxrwxrwt");
        assertThat(mode(ListingEntry.Type.DIRECTORY, 01770)).isEqualTo("drwxrwx--T");
        assertThat(mode(ListingEntry.Type.FILE, ListingEntry.UNKNOWN_PERMISSIONS)).isEqualTo("-?????????");
    }

    private static String mode(ListingEntry.Type type, int permissions) {
        return LsCommand.mode(new ListingEntry("x", type, 0, 0, permissions));
    }

    @Test
    void aPortLessFolderIsTheSshFormWithTheSameRootAndSlashRules() throws Exception {
        for (String text : new String[] {"files:", "files:/", "files:.", "alice@files:./"}) {
            SshTarget target = LsCommand.sshFolder(text);
            assertThat(target).as(text).isNotNull();
            assertThat(target.path()).as(text).isEmpty();
            assertThat(target.host()).isEqualTo("files");
        }
        assertThat(LsCommand.sshFolder("alice@files:/dir/sub/").path()).isEqualTo("dir/sub");
        assertThat(LsCommand.sshFolder("alice@files:/dir").user()).isEqualTo("alice");
        assertThat(LsCommand.sshFolder("files:dir").user()).isNull();
        assertThat(LsCommand.sshFolder("alice@h:7301:/")).as("a QUIC port: direct").isNull();
        assertThat(LsCommand.sshFolder("alice@h:7301:")).isNull();
        assertThat(LsCommand.sshFolder("alice@h:7301:pub")).isNull();
        assertThatThrownBy(() -> LsCommand.sshFolder("files:pub/../x")).isInstanceOf(MpftException.class);
    }
}
