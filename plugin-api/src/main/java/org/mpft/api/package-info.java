/**
 * The contract between a file server (the host) and a transfer-channel plugin such as mpft.
 *
 * <p>A host implements {@link org.mpft.api.HostContext} and hands it to every
 * {@link org.mpft.api.TransferChannel} extension it finds through PF4J. The plugin never sees a class
 * of the host, and the host never sees a class of the plugin: only the types of this package, which
 * speak JDK types and records only. The host keeps its own rules: the plugin asks
 * ({@link org.mpft.api.Authenticator}, {@link org.mpft.api.FileAccess}), the host answers, and the
 * answer must be the one the host's own protocol (for the reference host, SFTP) gives for the same
 * user and path. A channel may also implement {@link org.mpft.api.SessionOffers}: a host with an authenticated
 * command channel of its own (SSH exec) then offers the channel's bootstrap command to the users it has
 * logged in.
 */
package org.mpft.api;
