package org.mpft.protocol;

import java.util.Locale;

/** How the primary spreads chunks over the paths of a transfer, with its wire value. */
public enum Strategy {
    /** Let the server choose (its {@code mpft.strategy} setting). */
    SERVER_DEFAULT(0),
    /** Chunks 1, 3, 5 ... (counting from 1) from the primary, 2, 4, 6 ... from the secondary; round robin over N paths. */
    ALTERNATE(1),
    /** Per-path windows sized from measured throughput; faster paths serve more; endgame re-requests. */
    ADAPTIVE(2);

    private final int wireValue;

    Strategy(int wireValue) {
        this.wireValue = wireValue;
    }

    /** The value on the wire (u8). */
    public int wireValue() {
        return wireValue;
    }

    /** The lower-case name used in settings and on the command line ({@code alternate}, {@code adaptive}). */
    public String settingName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * The strategy for a wire value.
     *
     * @throws ProtocolException when no strategy has that value
     */
    public static Strategy fromWire(int value) throws ProtocolException {
        for (Strategy strategy : values()) {
            if (strategy.wireValue == value) {
                return strategy;
            }
        }
        throw new ProtocolException("unknown strategy " + value);
    }

    /**
     * The strategy for a setting name ({@code alternate} or {@code adaptive}).
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static Strategy fromSetting(String name) {
        for (Strategy strategy : values()) {
            if (strategy != SERVER_DEFAULT && strategy.settingName().equals(name.trim().toLowerCase(Locale.ROOT))) {
                return strategy;
            }
        }
        throw new IllegalArgumentException("unknown strategy '" + name + "' (expected alternate or adaptive)");
    }
}
