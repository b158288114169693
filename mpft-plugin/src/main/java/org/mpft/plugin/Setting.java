package org.mpft.plugin;

import java.util.Objects;
import org.mpft.api.ChannelStartException;

/**
 * One {@code mpft.*} key, declared once: its name, its default (as text, the way an admin writes it), what
 * it accepts (type, bounds and unit, in words) and a one-line description. {@link MpftKeys} lists every
 * setting; {@link MpftSettings} reads them, and the sample {@code plugin.properties} and the docs are checked
 * against these declarations.
 *
 * @param <T> the type of the parsed value
 */
public final class Setting<T> {

    /**
     * Turns a setting's text into its value.
     *
     * @param <T> the type of the value
     */
    @FunctionalInterface
    public interface Parser<T> {
        /**
         * Parses one value.
         *
         * @param key the key, for the error message
         * @param text the text as configured (not blank)
         * @return the value
         * @throws ChannelStartException naming the key, the value and what was expected
         */
        T parse(String key, String text) throws ChannelStartException;
    }

    private final String key;
    private final String defaultText;
    private final String accepts;
    private final Parser<T> parser;
    private final String doc;

    /**
     * Declares a setting.
     *
     * @param key the full key, starting with {@code mpft.}
     * @param defaultText the default as it would be written in {@code plugin.properties}; empty for none
     * @param accepts what the key accepts, in words (type, bounds, unit), e.g. {@code a number from 1 to 256}
     * @param parser reads a configured text, failing with a message that names the key
     * @param doc what the key means, one line, as the sample {@code plugin.properties} documents it
     */
    public Setting(String key, String defaultText, String accepts, Parser<T> parser, String doc) {
        this.key = Objects.requireNonNull(key, "key");
        this.defaultText = Objects.requireNonNull(defaultText, "defaultText");
        this.accepts = Objects.requireNonNull(accepts, "accepts");
        this.parser = Objects.requireNonNull(parser, "parser");
        this.doc = Objects.requireNonNull(doc, "doc");
    }

    /** The full key, e.g. {@code mpft.window}. */
    public String key() {
        return key;
    }

    /** The default as text; empty when the key has no value unless set. */
    public String defaultText() {
        return defaultText;
    }

    /** What the key accepts, in words: type, bounds and unit. */
    public String accepts() {
        return accepts;
    }

    /** The key's meaning, one line. */
    public String doc() {
        return doc;
    }

    /**
     * Parses a value of this key.
     *
     * @param text the configured text (a configured blank value is refused before, as {@code empty value}),
     *     or {@link #defaultText()} when the key is not configured
     * @return the typed value; null for an optional key left empty
     * @throws ChannelStartException naming the key, the value and what was expected
     */
    public T parse(String text) throws ChannelStartException {
        return parser.parse(key, Objects.requireNonNull(text, "text"));
    }

    /**
     * The start-refusing error for a bad value: {@code invalid setting <key>=<value>: <reason>}.
     *
     * @param key the key
     * @param value the value as configured
     * @param reason what was expected, or what is wrong
     */
    public static ChannelStartException invalid(String key, String value, String reason) {
        return new ChannelStartException("invalid setting " + key + "=" + value + ": " + reason);
    }

    @Override
    public String toString() {
        return key + "=" + defaultText;
    }
}
