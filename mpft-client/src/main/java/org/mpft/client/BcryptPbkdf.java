package org.mpft.client;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * OpenSSH's {@code bcrypt_pbkdf}: the key derivation that protects an {@code openssh-key-v1} private key
 * with a passphrase (PKCS #5 PBKDF2 in shape, with SHA-512 and an expensive Blowfish-based hash, the
 * algorithm of OpenBSD's {@code bcrypt_pbkdf.c}).
 *
 * <p>Blowfish's initial state is the fractional part of pi in hexadecimal (18 P-array words, then the four
 * 256-word S-boxes); it is computed once, on the first use, instead of being spelled out as a table.
 * Stateless and thread-safe.
 */
final class BcryptPbkdf {

    private static final int HASH_BYTES = 32;
    private static final int HASH_WORDS = HASH_BYTES / 4;
    private static final byte[] MAGIC = "OxychromaticBlowfishSwatDynamite".getBytes(StandardCharsets.US_ASCII);
    private static final int P_WORDS = 18;
    private static final int S_WORDS = 4 * 256;

    private BcryptPbkdf() {
    }

    /** The P-array and S-boxes as Blowfish starts them; filled on first use. */
    private static final class InitialState {
        static final int[] WORDS = piWords(P_WORDS + S_WORDS);
    }

    /**
     * Derives {@code key.length} bytes.
     *
     * @param password the passphrase, UTF-8
     * @param salt     the key file's salt
     * @param rounds   the key file's rounds (at least 1)
     * @param key      filled with the derived bytes
     */
    static void derive(byte[] password, byte[] salt, int rounds, byte[] key) {
        if (rounds < 1 || key.length == 0 || key.length > HASH_BYTES * HASH_BYTES) {
            throw new IllegalArgumentException("bad bcrypt_pbkdf parameters: rounds " + rounds + ", key " + key.length);
        }
        MessageDigest sha512 = sha512();
        byte[] sha2pass = sha512.digest(password);
        int stride = (key.length + HASH_BYTES - 1) / HASH_BYTES;
        int amount = (key.length + stride - 1) / stride;
        int left = key.length;
        for (int count = 1; left > 0; count++) {
            sha512.update(salt);
            sha512.update(ByteBuffer.allocate(4).putInt(count).array());
            byte[] hash = hash(sha2pass, sha512.digest());
            byte[] out = hash.clone();
            for (int i = 1; i < rounds; i++) {
                hash = hash(sha2pass, sha512.digest(hash));
                for (int j = 0; j < out.length; j++) {
                    out[j] ^= hash[j];
                }
            }
            // the output bytes are spread over the key with a stride, as OpenSSH does
            int taken = Math.min(amount, left);
            int i = 0;
            for (; i < taken; i++) {
                int dest = i * stride + (count - 1);
                if (dest >= key.length) {
                    break;
                }
                key[dest] = out[i];
            }
            left -= i;
            Arrays.fill(out, (byte) 0);
        }
        Arrays.fill(sha2pass, (byte) 0);
    }

    /** {@code bcrypt_hash}: an expensive Blowfish key setup keyed by both inputs, then encrypts the magic. */
    private static byte[] hash(byte[] sha2pass, byte[] sha2salt) {
        int[] state = InitialState.WORDS.clone();
        expand(state, sha2salt, sha2pass);
        for (int i = 0; i < 64; i++) {
            expand(state, null, sha2salt);
            expand(state, null, sha2pass);
        }
        int[] data = new int[HASH_WORDS];
        int[] position = {0};
        for (int i = 0; i < HASH_WORDS; i++) {
            data[i] = streamWord(MAGIC, position);
        }
        int[] block = new int[2];
        for (int i = 0; i < 64; i++) {
            for (int j = 0; j < HASH_WORDS; j += 2) {
                block[0] = data[j];
                block[1] = data[j + 1];
                encipher(state, block);
                data[j] = block[0];
                data[j + 1] = block[1];
            }
        }
        byte[] out = new byte[HASH_BYTES];
        for (int i = 0; i < HASH_WORDS; i++) { // little-endian words, unlike the rest of Blowfish
            out[4 * i] = (byte) data[i];
            out[4 * i + 1] = (byte) (data[i] >>> 8);
            out[4 * i + 2] = (byte) (data[i] >>> 16);
            out[4 * i + 3] = (byte) (data[i] >>> 24);
        }
        return out;
    }

    /**
     * Blowfish's key schedule: {@code Blowfish_expandstate} with salt {@code data}, or
     * {@code Blowfish_expand0state} when {@code data} is null.
     */
    private static void expand(int[] state, byte[] data, byte[] key) {
        int[] keyPosition = {0};
        for (int i = 0; i < P_WORDS; i++) {
            state[i] ^= streamWord(key, keyPosition);
        }
        int[] dataPosition = {0};
        int[] block = new int[2];
        for (int i = 0; i < P_WORDS + S_WORDS; i += 2) {
            if (data != null) {
                block[0] ^= streamWord(data, dataPosition);
                block[1] ^= streamWord(data, dataPosition);
            }
            encipher(state, block);
            state[i] = block[0];
            state[i + 1] = block[1];
        }
    }

    /** The next 4 bytes of {@code data} (cycling) as a big-endian word. */
    private static int streamWord(byte[] data, int[] position) {
        int word = 0;
        for (int i = 0; i < 4; i++) {
            if (position[0] >= data.length) {
                position[0] = 0;
            }
            word = (word << 8) | (data[position[0]++] & 0xFF);
        }
        return word;
    }

    /** Encrypts one 64-bit block in place (16 Feistel rounds). */
    private static void encipher(int[] state, int[] block) {
        int left = block[0] ^ state[0];
        int right = block[1];
        for (int i = 1; i <= 16; i += 2) {
            right ^= f(state, left) ^ state[i];
            left ^= f(state, right) ^ state[i + 1];
        }
        block[0] = right ^ state[P_WORDS - 1];
        block[1] = left;
    }

    private static int f(int[] state, int x) {
        int s = P_WORDS;
        return ((state[s + (x >>> 24)] + state[s + 256 + ((x >>> 16) & 0xFF)]) ^ state[s + 512 + ((x >>> 8) & 0xFF)])
                + state[s + 768 + (x & 0xFF)];
    }

    /**
     * The first {@code count} 32-bit words of pi's fractional part, by Machin's formula
     * (pi = 16 atan(1/5) - 4 atan(1/239)) in fixed point with 64 guard bits.
     */
    static int[] piWords(int count) {
        int bits = count * 32 + 64;
        BigInteger pi = atanInverse(5, bits).shiftLeft(4).subtract(atanInverse(239, bits).shiftLeft(2));
        BigInteger fraction = pi.subtract(BigInteger.valueOf(3).shiftLeft(bits)).shiftRight(64);
        int[] words = new int[count];
        for (int i = 0; i < count; i++) {
            words[i] = fraction.shiftRight((count - 1 - i) * 32).intValue();
        }
        return words;
    }

    /** atan(1/x) scaled by 2^bits: x^-1 - x^-3/3 + x^-5/5 - ... */
    private static BigInteger atanInverse(int x, int bits) {
        BigInteger xSquared = BigInteger.valueOf((long) x * x);
        BigInteger power = BigInteger.ONE.shiftLeft(bits).divide(BigInteger.valueOf(x));
        BigInteger sum = power;
        for (int k = 1; power.signum() != 0; k++) {
            power = power.divide(xSquared);
            BigInteger term = power.divide(BigInteger.valueOf(2L * k + 1));
            sum = (k & 1) == 1 ? sum.subtract(term) : sum.add(term);
        }
        return sum;
    }

    private static MessageDigest sha512() {
        try {
            return MessageDigest.getInstance("SHA-512");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-512", e);
        }
    }
}
