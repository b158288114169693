package org.mpft.host;

/** A configuration value is missing, unknown or malformed; the message names the key. */
final class SettingsException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String key;

    SettingsException(String key, String message) {
        super(key == null ? message : "key '" + key + "': " + message);
        this.key = key;
    }

    /** The key concerned, or null when the problem is the file itself. */
    String key() {
        return key;
    }
}
