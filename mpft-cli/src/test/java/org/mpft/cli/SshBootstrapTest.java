package org.mpft.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.MpftException;

/**
 * The ssh command line, and running the real OpenSSH client where no network is needed ({@code ssh -G}) or a
 * stand-in program where ssh's failure is the point.
 */
class SshBootstrapTest {

    @TempDir
    Path dir;

    @Test
    void theCommandLineCarriesTheScpStyleOptionsBeforeTheDestination() {
        SshOptions options = new SshOptions();
        options.program = "ssh";
        options.port = 2222;
        options.config = Path.of("/c");
        options.jump = "bastion";
        options.options = List.of("Compression=yes", "ConnectTimeout=5");

        assertThat(options.command(Path.of("/k"), List.of(), "alice@files", List.of("mpft-offer"))).containsExactly(
                "ssh", "-p", "2222", "-i", "/k", "-F", "/c", "-J", "bastion", "-o", "Compression=yes", "-o",
                "ConnectTimeout=5", "--", "alice@files", "mpft-offer");
        assertThat(new SshOptions().any()).isFalse();
        assertThat(options.any()).isTrue();
    }

    @Test
    void theHostSshConnectsToComesFromTheUsersConfig() throws Exception {
        Path config = dir.resolve("config");
        Files.writeString(config, "Host files\n    HostName 127.0.0.9\n    Port 2200\n");
        SshOptions options = new SshOptions();
        options.program = "ssh";
        options.config = config;

        assertThat(new SshBootstrap(options, null).resolvedHost(new SshTarget(null, "files", "x"))).isEqualTo("127.0.0.9");
    }

    @Test
    void anSshFailureNamesItsExitCodeAndItsLastLine() throws Exception {
        Path fake = dir.resolve("fake-ssh");
        Files.writeString(fake, "#!/bin/sh\necho 'debug line' >&2\necho 'Permission denied (publickey).' >&2\nexit 255\n");
        assertThat(fake.toFile().setExecutable(true)).isTrue();
        SshOptions options = new SshOptions();
        options.program = fake.toString();

        assertThatThrownBy(() -> new SshBootstrap(options, null).offer(new SshTarget("alice", "files", "x")))
                .isInstanceOf(MpftException.class)
                .hasMessage("ssh alice@files mpft-offer --tokens 4 failed (exit 255): Permission denied (publickey).")
                .satisfies(e -> assertThat(((MpftException) e).code()).isEqualTo(ErrorCode.SERVER_UNAVAILABLE));
    }

    @Test
    void aMissingSshProgramIsNamed() {
        SshOptions options = new SshOptions();
        options.program = dir.resolve("no-such-ssh").toString();

        assertThatThrownBy(() -> new SshBootstrap(options, null).offer(new SshTarget(null, "files", "x")))
                .isInstanceOf(MpftException.class).hasMessageContaining("cannot run " + options.program);
    }

    @Test
    void outputThatIsNotAnOfferIsAProtocolError() throws Exception {
        Path fake = dir.resolve("fake-ssh");
        Files.writeString(fake, "#!/bin/sh\necho 'Welcome!'\n");
        assertThat(fake.toFile().setExecutable(true)).isTrue();
        SshOptions options = new SshOptions();
        options.program = fake.toString();

        assertThatThrownBy(() -> new SshBootstrap(options, null).offer(new SshTarget(null, "files", "x")))
                .isInstanceOf(MpftException.class).hasMessageContaining("does not start with 'mpft-offer 1'");
    }

    @Test
    void anOfferAsksForTheTokensOfTheCommandAndOneAsksForNoCount() throws Exception {
        Path fake = dir.resolve("fake-ssh");
        Path args = dir.resolve("args");
        Files.writeString(fake, "#!/bin/sh\necho \"$@\" >> '" + args + "'\nexit 1\n");
        assertThat(fake.toFile().setExecutable(true)).isTrue();
        SshOptions options = new SshOptions();
        options.program = fake.toString();
        SshTarget target = new SshTarget(null, "files", "x");

        assertThatThrownBy(() -> new SshBootstrap(options, null, 16).offer(target)).isInstanceOf(MpftException.class);
        assertThatThrownBy(() -> new SshBootstrap(options, null, 1).offer(target)).isInstanceOf(MpftException.class);

        assertThat(Files.readAllLines(args)).containsExactly("-- files mpft-offer --tokens 16", "-- files mpft-offer");
        assertThatThrownBy(() -> new SshBootstrap(options, null, 17)).hasMessageContaining("1 to 16");
        assertThatThrownBy(() -> new SshBootstrap(options, null, 0)).hasMessageContaining("1 to 16");
    }

    @Test
    void aLoginDrawsOneTokenPerLoginAndRunsSshAgainForANewOffer() throws Exception {
        Path fake = dir.resolve("fake-ssh");
        Path runs = dir.resolve("runs");
        String cert = "ab".repeat(32);
        // each run prints an offer with two tokens, numbered by the run
        Files.writeString(fake, "#!/bin/sh\necho run >> '" + runs + "'\nn=$(wc -l < '" + runs + "')\n"
                + "printf 'mpft-offer 1\\nuser alice\\nhost 127.0.0.9\\nport 7301\\ncertificate-sha256 " + cert
                + "\\ntoken %02d\\ntoken %02d\\nexpires-in-ms 30000\\n' \"$n\"1 \"$n\"2\n");
        assertThat(fake.toFile().setExecutable(true)).isTrue();
        SshOptions options = new SshOptions();
        options.program = fake.toString();

        SshBootstrap.Login login = new SshBootstrap(options, null, 2).login(new SshTarget(null, "files", "x"));

        assertThat(login.user()).isEqualTo("alice");
        assertThat(login.host()).isEqualTo("127.0.0.9");
        assertThat(login.port()).isEqualTo(7301);
        org.mpft.client.LoginTokenSource source = ((org.mpft.client.Credentials.TokenSource) login.credentials())
                .source();
        assertThat(source.next()).containsExactly(0x11);
        assertThat(source.next()).containsExactly(0x12);
        assertThat(Files.readAllLines(runs)).hasSize(1);
        assertThat(source.next()).as("from a second run of ssh").containsExactly(0x21);
        assertThat(Files.readAllLines(runs)).hasSize(2);
    }
}
