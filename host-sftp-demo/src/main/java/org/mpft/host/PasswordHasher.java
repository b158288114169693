package org.mpft.host;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Hashes and checks passwords with PBKDF2WithHmacSHA256. A hash is stored as
 * {@code pbkdf2-sha256$<iterations>$<salt>$<hash>} (salt 16 random bytes, hash 32 bytes, both unpadded
 * base64), so the iteration count can be raised later without breaking stored hashes.
 */
final class PasswordHasher {

    /** Iterations for new hashes (OWASP's 2023 figure for PBKDF2-HMAC-SHA256). */
    static final int ITERATIONS = 210_000;

    private static final String SCHEME = "pbkdf2-sha256";
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();

    /** A hash of a fixed password, checked against for unknown users so both cases take as long. */
    private static final class Dummy {
        // computed on first use only: one PBKDF2 run costs about a second in a cold JVM
        static final String HASH = hash("no such user".toCharArray());
    }

    private PasswordHasher() {
    }

    /** Hashes a password with a fresh random salt. */
    static String hash(char[] password) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        return SCHEME + "$" + ITERATIONS + "$" + B64.encodeToString(salt) + "$"
                + B64.encodeToString(derive(password, salt, ITERATIONS, HASH_BYTES));
    }

    /**
     * Checks a password against a stored hash, comparing in constant time.
     *
     * @param stored the stored hash, or null to spend the same time and answer false (unknown user)
     */
    static boolean verify(char[] password, String stored) {
        boolean known = stored != null && isWellFormed(stored);
        String[] parts = (known ? stored : Dummy.HASH).split("\\$");
        int iterations = Integer.parseInt(parts[1]);
        byte[] salt = Base64.getDecoder().decode(parts[2]);
        byte[] expected = Base64.getDecoder().decode(parts[3]);
        byte[] actual = derive(password, salt, iterations, expected.length);
        return MessageDigest.isEqual(expected, actual) && known;
    }

    /** Whether {@code stored} has the shape of a hash this class wrote. */
    static boolean isWellFormed(String stored) {
        String[] parts = stored.split("\\$", -1);
        if (parts.length != 4 || !SCHEME.equals(parts[0])) {
            return false;
        }
        try {
            return Integer.parseInt(parts[1]) >= 1 && Base64.getDecoder().decode(parts[2]).length >= 8
                    && Base64.getDecoder().decode(parts[3]).length >= 16;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static byte[] derive(char[] password, byte[] salt, int iterations, int bytes) {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, bytes * 8);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 unavailable", e);
        } finally {
            spec.clearPassword();
        }
    }

    /** Overwrites a password array. */
    static void clear(char[] password) {
        if (password != null) {
            Arrays.fill(password, '\0');
        }
    }
}
