/**
 * The mpft client: {@link org.mpft.cli.FileTransferClient} downloads one file over every path its
 * primary offers, checks every chunk and writes it in place; {@link org.mpft.cli.MpftCommand} is the
 * {@code mpft} command on top of it.
 */
package org.mpft.cli;
