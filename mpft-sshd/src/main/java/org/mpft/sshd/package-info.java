/**
 * Hosts transfer-channel plugins such as mpft inside any Apache MINA SSHD server.
 *
 * <p>{@link org.mpft.sshd.MpftSshd} is the whole public face for a server's code: given the server's
 * {@code SshServer}, it starts a PF4J plugin manager on a plugins folder and hands each
 * {@code TransferChannel} a {@code HostContext} whose {@link org.mpft.sshd.SshdAuthenticator} asks the
 * server's own authenticators and whose {@link org.mpft.sshd.SshdFileAccess} goes through the server's own
 * file system view, so the channel answers what SFTP answers. MINA's APIs take a {@code ServerSession};
 * the adapter passes a view of the channel's login that carries the user name and the server's settings
 * and nothing a live SSH connection would have (no client address, no transport): see each class for
 * what that means for authenticators and file systems. A host's {@code check-config} asks the channels of a
 * plugins folder to check their settings with {@link org.mpft.sshd.ChannelConfigCheck}, starting none.
 */
package org.mpft.sshd;
