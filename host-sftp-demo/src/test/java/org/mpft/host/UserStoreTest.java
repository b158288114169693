package org.mpft.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserStoreTest {

    @TempDir
    Path dir;

    @Test
    void addListDeleteRoundTrip() throws IOException {
        Path file = dir.resolve("users.properties");
        UserStore store = UserStore.open(file);
        assertThat(store.all()).isEmpty();

        Path keys = Files.writeString(dir.resolve("keys"), "");
        store.put(new UserAccount("alice", PasswordHasher.hash("pw-alice".toCharArray()), null, AccessRules.WHOLE_HOME));
        store.put(new UserAccount("bob.b", null, keys, AccessRules.of(List.of("/pub", "docs/"), List.of("incoming"))));

        UserStore reread = UserStore.open(file);
        assertThat(reread.all().keySet()).containsExactly("alice", "bob.b");
        UserAccount bob = reread.find("bob.b").orElseThrow();
        assertThat(bob.passwordHash()).isNull();
        assertThat(bob.authorizedKeys()).isEqualTo(keys);
        assertThat(bob.rules().read()).containsExactly("pub", "docs");
        assertThat(bob.rules().write()).containsExactly("incoming");
        assertThat(reread.find("alice").orElseThrow().rules()).isEqualTo(AccessRules.WHOLE_HOME);
        assertThat(reread.checkPassword("alice", "pw-alice".toCharArray())).isTrue();
        assertThat(reread.checkPassword("alice", "wrong".toCharArray())).isFalse();
        assertThat(reread.checkPassword("nobody", "pw-alice".toCharArray())).isFalse();
        assertThat(Files.readString(file)).doesNotContain("pw-alice");

        assertThat(reread.remove("alice")).isTrue();
        assertThat(reread.remove("alice")).isFalse();
        assertThat(UserStore.open(file).all().keySet()).containsExactly("bob.b");
    }

    @Test
    void runningStoreSeesChangesMadeByAnotherProcess() throws IOException {
        Path file = dir.resolve("users.properties");
        UserStore running = UserStore.open(file);
        UserStore admin = UserStore.open(file);
        admin.put(new UserAccount("carol", null, null, AccessRules.WHOLE_HOME));
        // make sure the stamp differs even on coarse file-time file systems
        Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() + 5_000));
        assertThat(running.find("carol")).isPresent();
    }

    @Test
    void malformedFileNamesTheKey() throws IOException {
        Path file = Files.writeString(dir.resolve("users.properties"), "alice.pasword=x\n");
        assertThatThrownBy(() -> UserStore.open(file)).isInstanceOf(IOException.class)
                .hasMessageContaining("alice.pasword");
        Files.writeString(file, "Alice.read=/\n");
        assertThatThrownBy(() -> UserStore.open(file)).hasMessageContaining("Alice.read");
        Files.writeString(file, "alice.password=plain\n");
        assertThatThrownBy(() -> UserStore.open(file)).hasMessageContaining("alice");
        Files.writeString(file, "alice.read=/../x\n");
        assertThatThrownBy(() -> UserStore.open(file)).hasMessageContaining("alice");
    }

    @Test
    void userNamesAreValidated() {
        assertThat(UserAccount.isValidName("alice")).isTrue();
        assertThat(UserAccount.isValidName("_svc-1.x")).isTrue();
        assertThat(UserAccount.isValidName("Alice")).isFalse();
        assertThat(UserAccount.isValidName("1alice")).isFalse();
        assertThat(UserAccount.isValidName("a/b")).isFalse();
        assertThat(UserAccount.isValidName("..")).isFalse();
        assertThat(UserAccount.isValidName("a".repeat(33))).isFalse();
        assertThatThrownBy(() -> new UserAccount("../etc", null, null, AccessRules.WHOLE_HOME))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
