/**
 * The {@code mpft} command ({@link org.mpft.cli.MpftCommand}): parses the command line, asks for passwords
 * and unknown servers on the terminal, draws the progress bar, prints the summary (or the {@code --json}
 * line) and maps each failure to an exit code ({@link org.mpft.cli.ExitCodes}). The downloads themselves are
 * {@link org.mpft.client.FileTransferClient}'s, from the {@code mpft-client} library.
 */
package org.mpft.cli;
