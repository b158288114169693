package org.mpft.cli;

import java.util.List;

/** Redraws a block of progress lines in place on a terminal, with ANSI cursor movements. */
final class ScreenLines {

    private ScreenLines() {
    }

    /**
     * What to print to replace the {@code linesDrawn} lines drawn last (the cursor on the last of them) with
     * {@code lines}: back to the first line, each line cleared and written, and the lines left over from a
     * taller drawing cleared; the cursor ends on the last new line.
     */
    static String redraw(List<String> lines, int linesDrawn) {
        StringBuilder screen = new StringBuilder();
        if (linesDrawn > 1) {
            screen.append("\033[").append(linesDrawn - 1).append('A'); // back to the first line
        }
        for (int i = 0; i < lines.size(); i++) {
            screen.append('\r').append(lines.get(i)).append("\033[K");
            if (i < lines.size() - 1) {
                screen.append('\n');
            }
        }
        // fewer lines than last time (a path went away): clear the rest, come back up
        int extra = linesDrawn - lines.size();
        if (extra > 0) {
            screen.append("\n\r\033[K".repeat(extra)).append("\033[").append(extra).append('A');
        }
        return screen.toString();
    }
}
