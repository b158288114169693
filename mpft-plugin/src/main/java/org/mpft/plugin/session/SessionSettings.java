package org.mpft.plugin.session;

import java.time.Duration;
import java.util.Objects;

/**
 * The settings a client session runs with, read once from the plugin's configuration.
 *
 * @param name               this instance's name, in answers to the client ({@code mpft.name})
 * @param maxSessions        the most sessions of the listener ({@code mpft.max-sessions})
 * @param maxFileSize        the largest file served, bytes ({@code mpft.max-file-size})
 * @param chunkSize          the aimed chunk size, bytes: a file too large for the chunk plan is refused
 * @param authFailureDelay   how long a failed login waits before its ERROR ({@code mpft.auth-failure-delay})
 * @param compression        true when this instance compresses chunks (offered in SERVER_HELLO)
 * @param maxListsPerSession the most LIST requests of one session ({@code mpft.max-lists-per-session})
 */
public record SessionSettings(String name, int maxSessions, long maxFileSize, int chunkSize,
                              Duration authFailureDelay, boolean compression, int maxListsPerSession) {

    /** Checks the values. */
    public SessionSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(authFailureDelay, "authFailureDelay");
    }
}
