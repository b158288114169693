package org.mpft.client;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalNotFoundException;

/**
 * Who the download runs as: the owner that a partial download's files must have before they are reused.
 */
@FunctionalInterface
interface LocalUser {

    /**
     * The user this process runs as: {@code user.name} looked up in the file system's user database or,
     * when that name has no entry there (a container without a password file), the owner of a file this
     * process creates.
     */
    LocalUser PROCESS = () -> {
        try {
            return FileSystems.getDefault().getUserPrincipalLookupService()
                    .lookupPrincipalByName(System.getProperty("user.name"));
        } catch (UserPrincipalNotFoundException | UnsupportedOperationException e) {
            Path probe = Files.createTempFile("mpft-owner", ".probe");
            try {
                return Files.getOwner(probe);
            } finally {
                Files.deleteIfExists(probe);
            }
        }
    };

    /** The user's principal, compared with {@link Files#getOwner} of the files a download reuses. */
    UserPrincipal principal() throws IOException;
}
