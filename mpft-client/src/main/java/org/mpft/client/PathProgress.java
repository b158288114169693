package org.mpft.client;

/**
 * How one path (one server) of a download is doing.
 *
 * @param server         the server, {@code host:port}
 * @param role           {@code primary} or {@code secondary}
 * @param chunks         chunks received and verified from it
 * @param bytes          bytes received and verified from it
 * @param bytesPerSecond its recent receive rate, bytes per second
 */
public record PathProgress(String server, String role, int chunks, long bytes, double bytesPerSecond) {
}
