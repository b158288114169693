/**
 * The reference host for mpft: an SFTP server on Apache MINA SSHD that loads transfer-channel plugins
 * with PF4J.
 *
 * <p>{@link org.mpft.host.HostMain} is the only public type: {@code mpft-host --config FILE} runs the
 * server, {@code mpft-host user add|del|list} administers the users file. Inside, one user store
 * ({@code UserStore}, passwords hashed with PBKDF2, OpenSSH {@code authorized_keys}) and one path policy
 * ({@code HomeResolver} with each user's {@code AccessRules}) serve both the SFTP subsystem (through MINA's
 * authenticators, a file system rooted at the user's home and an {@code SftpFileSystemAccessor} that
 * enforces the rules) and the plugins (through {@code HostAuthenticator} and {@code HostFileAccess}, the
 * host's side of {@link org.mpft.api.HostContext}), so that a plugin gets exactly the answers SFTP gives.
 */
package org.mpft.host;
