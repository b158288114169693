/**
 * The {@code mpft} command ({@link org.mpft.cli.MpftCommand}): parses the command line, finds the identities
 * an ssh user has (the ssh-agent, the ssh configuration's host aliases and keys, the default identities) and
 * tries them one login each ({@link org.mpft.cli.LoginCandidates}), asks for passwords
 * and unknown servers on the terminal (the console, else {@code /dev/tty}), shows progress on stderr (a bar
 * redrawn in place when stderr is a terminal, a plain line every few seconds when it is not), prints the
 * summary (or the {@code --json} line, for failures too), checks {@code --expect-sha256}, lists and removes
 * pinned servers ({@code mpft known-hosts}) and maps each failure to an exit code
 * ({@link org.mpft.cli.ExitCodes}). The downloads themselves are {@link org.mpft.client.FileTransferClient}'s,
 * from the {@code mpft-client} library.
 */
package org.mpft.cli;
