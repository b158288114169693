package org.mpft.host;

import java.net.SocketAddress;
import java.security.PublicKey;
import java.util.List;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.auth.password.PasswordAuthenticator;
import org.apache.sshd.server.auth.pubkey.PublickeyAuthenticator;
import org.apache.sshd.server.command.CommandFactory;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.server.session.ServerSession;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the MINA SSHD server: SFTP, and exec of the channels' session-offer command only (no shell, no other
 * exec, no forwarding), password and public-key
 * logins against the {@link UserStore}, each user chrooted to its home with its rules enforced.
 */
final class SftpServerFactory {

    private static final Logger LOG = LoggerFactory.getLogger(SftpServerFactory.class);

    private SftpServerFactory() {
    }

    /**
     * A configured, not yet started server.
     *
     * @param offers the exec commands it answers (the channels' session offers); every other is refused
     */
    static SshServer create(HostSettings settings, UserStore users, HomeResolver resolver, CommandFactory offers) {
        SshServer sshd = SshServer.setUpDefaultServer();
        sshd.setHost(settings.sftpBind());
        sshd.setPort(settings.sftpPort());
        sshd.setKeyPairProvider(hostKeys(settings));
        sshd.setPasswordAuthenticator(passwords(users));
        sshd.setPublickeyAuthenticator(publicKeys(users));
        sshd.setKeyboardInteractiveAuthenticator(null);
        sshd.setGSSAuthenticator(null);
        sshd.setFileSystemFactory(new HomeFileSystemFactory(resolver));
        sshd.setCommandFactory(offers);
        sshd.setSubsystemFactories(List.of(new SftpSubsystemFactory.Builder()
                .withFileSystemAccessor(new RuleEnforcingSftpAccessor(users, resolver))
                .build()));
        return sshd;
    }

    private static KeyPairProvider hostKeys(HostSettings settings) {
        SimpleGeneratorHostKeyProvider keys = new SimpleGeneratorHostKeyProvider(settings.hostKey());
        keys.setAlgorithm(KeyUtils.EC_ALGORITHM);
        keys.setKeySize(256);
        return keys;
    }

    private static PasswordAuthenticator passwords(UserStore users) {
        return (user, password, session) -> {
            char[] chars = password.toCharArray();
            try {
                if (users.checkPassword(user, chars)) {
                    return true;
                }
            } finally {
                PasswordHasher.clear(chars);
            }
            LOG.warn("login refused: user '{}' from {} (password)", user, source(session));
            return false;
        };
    }

    private static PublickeyAuthenticator publicKeys(UserStore users) {
        // MINA has checked the signature itself when it calls this with a signed request
        return (String user, PublicKey key, ServerSession session) -> {
            if (users.isAuthorizedKey(user, key)) {
                return true;
            }
            LOG.warn("login refused: user '{}' from {} (public key {} {})", user, source(session),
                    KeyUtils.getKeyType(key), KeyUtils.getFingerPrint(key));
            return false;
        };
    }

    private static SocketAddress source(ServerSession session) {
        return session == null ? null : session.getClientAddress();
    }
}
