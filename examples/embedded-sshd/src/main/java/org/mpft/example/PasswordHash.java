package org.mpft.example;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Password hashes of the example's users file: {@code pbkdf2:<iterations>:<salt, base64>:<hash, base64>}
 * with PBKDF2-HMAC-SHA256, a 16-byte salt and a 32-byte hash.
 */
public final class PasswordHash {

    /** The prefix of every hash. */
    public static final String PREFIX = "pbkdf2:";
    /** PBKDF2 iterations of new hashes. */
    public static final int ITERATIONS = 210_000;

    private static final SecureRandom RANDOM = new SecureRandom();

    private PasswordHash() {
    }

    /** A new hash of {@code password}, with a fresh salt. */
    public static String hash(char[] password) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        return PREFIX + ITERATIONS + ":" + Base64.getEncoder().encodeToString(salt) + ":"
                + Base64.getEncoder().encodeToString(pbkdf2(password, salt, ITERATIONS));
    }

    /** Whether {@code password} matches {@code hash}; false for a malformed hash. Constant time in the hash's bytes. */
    public static boolean verify(char[] password, String hash) {
        String[] parts = hash.split(":");
        if (parts.length != 4 || !hash.startsWith(PREFIX)) {
            return false;
        }
        try {
            int iterations = Integer.parseInt(parts[1]);
            byte[] salt = Base64.getDecoder().decode(parts[2]);
            byte[] expected = Base64.getDecoder().decode(parts[3]);
            return iterations > 0 && MessageDigest.isEqual(expected, pbkdf2(password, salt, iterations));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static byte[] pbkdf2(char[] password, byte[] salt, int iterations) {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, 256);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is missing from this JDK", e);
        } finally {
            spec.clearPassword();
        }
    }

    /** Overwrites a password in memory. */
    static void clear(char[] password) {
        Arrays.fill(password, '\0');
    }
}
