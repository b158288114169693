package org.mpft.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import org.apache.sshd.common.config.keys.AuthorizedKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads OpenSSH {@code authorized_keys} files and compares keys by their X.509 encoding, so that a key
 * parsed by MINA SSHD (BouncyCastle for Ed25519) equals the same key built by the JDK. Key options such
 * as {@code from=} are not enforced.
 */
final class AuthorizedKeys {

    private static final Logger LOG = LoggerFactory.getLogger(AuthorizedKeys.class);

    private AuthorizedKeys() {
    }

    /** The keys in {@code file}; an unreadable file or entry is logged and skipped. */
    static List<PublicKey> read(Path file) {
        if (file == null || !Files.isRegularFile(file)) {
            return List.of();
        }
        List<PublicKey> keys = new ArrayList<>();
        try {
            for (AuthorizedKeyEntry entry : AuthorizedKeyEntry.readAuthorizedKeys(file)) {
                try {
                    PublicKey key = entry.resolvePublicKey(null, PublicKeyEntryResolver.IGNORING);
                    if (key != null) {
                        keys.add(key);
                    }
                } catch (IOException | GeneralSecurityException | RuntimeException e) {
                    LOG.warn("skipping unusable key of type {} in {}: {}", entry.getKeyType(), file, e.toString());
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot read authorized keys file {}: {}", file, e.toString());
        }
        return keys;
    }

    /** Whether {@code key} is one of the keys in {@code file}. */
    static boolean contains(Path file, PublicKey key) {
        byte[] encoded = key.getEncoded();
        if (encoded == null) {
            return false;
        }
        for (PublicKey k : read(file)) {
            if (MessageDigest.isEqual(encoded, k.getEncoded())) {
                return true;
            }
        }
        return false;
    }
}
