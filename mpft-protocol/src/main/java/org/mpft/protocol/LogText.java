package org.mpft.protocol;

/**
 * Makes a text that came from outside (a user name, a path, a client's agent string, a node name, an ERROR
 * text from a peer) safe for one log line: control characters, line and paragraph separators, format
 * characters (bidirectional overrides among them) and backslashes are escaped, so one text can neither
 * forge a second log line nor recolour a terminal, and it is cut to {@value #MAX_CHARS} characters.
 */
public final class LogText {

    /** The longest text kept; longer ones end in {@code ...}. */
    public static final int MAX_CHARS = 256;

    private LogText() {
    }

    /**
     * The text escaped for a log line: {@code \n}, {@code \r}, {@code \t} and {@code \\} as such, other
     * control and format characters as {@code \\uXXXX}; null as {@code null}.
     */
    public static String quote(Object text) {
        if (text == null) {
            return "null";
        }
        String value = text.toString();
        StringBuilder out = new StringBuilder(Math.min(value.length(), MAX_CHARS) + 8);
        int i = 0;
        for (; i < value.length() && out.length() < MAX_CHARS; i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT
                            || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return i < value.length() ? out.append("...").toString() : out.toString();
    }
}
