package org.mpft.example;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.sftp.server.SftpFileSystemAccessor;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;
import org.apache.sshd.sftp.server.SftpSubsystemProxy;

/**
 * The example's SFTP server, as any MINA SSHD application would build it: SFTP only, its users' password
 * hashes and authorized keys, and each user jailed in {@code root/<user>} by a
 * {@link VirtualFileSystemFactory}, making no links for them. Nothing here knows about mpft.
 */
public final class ExampleServer {

    private ExampleServer() {
    }

    /**
     * A configured, not yet started server.
     *
     * @param users   the users
     * @param root    the folder of the users' roots ({@code root/<user>}, created when missing)
     * @param hostKey the SSH host key file, generated (EC P-256) when missing
     * @param bind    the address to listen on
     * @param port    the TCP port, 0 for any free one
     * @throws IOException when a user's root cannot be created
     */
    public static SshServer create(ExampleUsers users, Path root, Path hostKey, String bind, int port)
            throws IOException {
        VirtualFileSystemFactory roots = new VirtualFileSystemFactory();
        for (String user : users.users().keySet()) {
            roots.setUserHomeDir(user, Files.createDirectories(root.resolve(user)).toAbsolutePath());
        }
        SimpleGeneratorHostKeyProvider keys = new SimpleGeneratorHostKeyProvider(hostKey);
        keys.setAlgorithm(KeyUtils.EC_ALGORITHM);
        keys.setKeySize(256);

        SshServer sshd = SshServer.setUpDefaultServer();
        sshd.setHost(bind);
        sshd.setPort(port);
        sshd.setKeyPairProvider(keys);
        sshd.setPasswordAuthenticator(users.passwordAuthenticator());
        sshd.setPublickeyAuthenticator(users.publickeyAuthenticator());
        sshd.setKeyboardInteractiveAuthenticator(null);
        sshd.setGSSAuthenticator(null);
        sshd.setFileSystemFactory(roots);
        sshd.setSubsystemFactories(List.of(new SftpSubsystemFactory.Builder().withFileSystemAccessor(NO_LINKS).build()));
        return sshd;
    }

    /**
     * MINA's rooted file system stores a link's target as given and lets the platform follow it, so a link
     * made over SFTP ({@code ln -s .. up}) would lead out of the user's root: users make no links here.
     */
    private static final SftpFileSystemAccessor NO_LINKS = new SftpFileSystemAccessor() {
        @Override
        public void createLink(SftpSubsystemProxy subsystem, Path link, Path existing, boolean symLink)
                throws IOException {
            throw new AccessDeniedException(link.toString(), null, "this server does not create links");
        }
    };
}
