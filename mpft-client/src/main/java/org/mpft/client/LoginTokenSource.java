package org.mpft.client;

import org.mpft.protocol.MpftException;

/**
 * Hands out single-use login tokens, one per login ({@link Credentials.TokenSource}): a download logs in again
 * after a busy answer or a restart, and each parallel session logs in once, so each login draws a fresh token.
 * Implementations are thread-safe: parallel sessions draw at once.
 */
@FunctionalInterface
public interface LoginTokenSource {

    /**
     * The token for the next login; it is used once.
     *
     * @throws MpftException when no token can be had (the code says why, e.g. the session offer could not be
     *                       renewed)
     */
    byte[] next() throws MpftException;
}
