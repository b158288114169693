/**
 * A second, independent host of the mpft plugin: a small Apache MINA SSHD SFTP server with its own users
 * file ({@link org.mpft.example.ExampleUsers}: password hashes and authorized keys) and one
 * {@code VirtualFileSystemFactory} root per user ({@link org.mpft.example.ExampleServer}), which hosts the
 * plugin with a few lines of {@code mpft-sshd} ({@link org.mpft.example.EmbeddedSshd}). It shares no code with
 * the reference host, so it shows what any MINA SSHD server does to offer mpft.
 */
package org.mpft.example;
