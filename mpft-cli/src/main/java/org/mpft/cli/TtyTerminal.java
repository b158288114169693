package org.mpft.cli;

import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.Charset;
import java.util.Arrays;
import java.util.Objects;

/**
 * A {@link Terminal} on the controlling terminal, {@code /dev/tty}, for when standard input or output is
 * redirected and the JVM has no console. Prompts are written to the terminal and answers read from it,
 * never from the redirected streams. A password is read with the terminal's echo turned off by
 * {@code stty -echo} (the JDK offers no other way to do it outside {@link java.io.Console}) and turned on
 * again afterwards, also when the read fails.
 */
final class TtyTerminal implements Terminal {

    /** Turns the terminal's echo on or off. */
    interface Echo {
        /** @param on true to show typed characters again */
        void set(boolean on) throws IOException;
    }

    private final BufferedReader in;
    private final Writer out;
    private final Echo echo;

    /**
     * @param in   the terminal's input
     * @param out  the terminal's output (the prompts)
     * @param echo switches the echo for passwords
     */
    TtyTerminal(Reader in, Writer out, Echo echo) {
        this.in = new BufferedReader(Objects.requireNonNull(in, "in"));
        this.out = Objects.requireNonNull(out, "out");
        this.echo = Objects.requireNonNull(echo, "echo");
    }

    /** The controlling terminal of this process, or null when it has none (or {@code /dev/tty} does not exist). */
    static TtyTerminal open() {
        String tty = "/dev/tty";
        FileInputStream input = null;
        try {
            // opening fails (ENXIO) when the process has no controlling terminal
            input = new FileInputStream(tty);
            FileOutputStream output = new FileOutputStream(tty);
            Charset charset = Charset.defaultCharset();
            return new TtyTerminal(new InputStreamReader(input, charset), new OutputStreamWriter(output, charset),
                    on -> stty(tty, on ? "echo" : "-echo"));
        } catch (IOException | SecurityException e) {
            if (input != null) {
                try {
                    input.close();
                } catch (IOException ignored) {
                    // nothing was read from it
                }
            }
            return null;
        }
    }

    @Override
    public synchronized String readLine(String prompt) {
        try {
            out.write(prompt);
            out.flush();
            return in.readLine();
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public synchronized char[] readPassword(String prompt) {
        try {
            out.write(prompt);
            out.flush();
            echo.set(false);
            try {
                return readSecret();
            } finally {
                echo.set(true);
                out.write(System.lineSeparator()); // the Enter typed was not echoed
                out.flush();
            }
        } catch (IOException e) {
            return null;
        }
    }

    /** One line as characters, never as a String (a String cannot be wiped); null at end of input. */
    private char[] readSecret() throws IOException {
        char[] buffer = new char[64];
        int length = 0;
        while (true) {
            int c = in.read();
            if (c < 0 && length == 0) {
                return null;
            }
            if (c < 0 || c == '\n') {
                break;
            }
            if (c == '\r') {
                continue;
            }
            if (length == buffer.length) {
                char[] bigger = Arrays.copyOf(buffer, buffer.length * 2);
                Arrays.fill(buffer, '\0');
                buffer = bigger;
            }
            buffer[length++] = (char) c;
        }
        char[] secret = Arrays.copyOf(buffer, length);
        Arrays.fill(buffer, '\0');
        return secret;
    }

    private static void stty(String tty, String setting) throws IOException {
        Process process = new ProcessBuilder("stty", setting).redirectInput(new java.io.File(tty))
                .redirectErrorStream(true).start();
        try {
            process.getInputStream().readAllBytes();
            if (process.waitFor() != 0) {
                throw new IOException("stty " + setting + " failed on " + tty);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running stty " + setting, e);
        }
    }
}
