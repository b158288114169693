package org.mpft.protocol;

import java.util.Objects;

/**
 * One entry of a {@link Listing}: {@code string name | u8 type | i64 size | i64 mtime}.
 *
 * @param name           the entry's name in its folder: one segment, no {@code /}, not empty
 * @param type           a file or a folder
 * @param size           the size in bytes, not negative
 * @param modifiedMillis the modification time, ms since the epoch
 */
public record ListingEntry(String name, Type type, long size, long modifiedMillis) {

    /** What an entry is, with its wire value (u8). */
    public enum Type {
        /** A regular file (1). */
        FILE(1),
        /** A folder (2). */
        DIRECTORY(2);

        private final int wireValue;

        Type(int wireValue) {
            this.wireValue = wireValue;
        }

        /** The value on the wire. */
        public int wireValue() {
            return wireValue;
        }

        static Type fromWire(int value) throws ProtocolException {
            for (Type type : values()) {
                if (type.wireValue == value) {
                    return type;
                }
            }
            throw new ProtocolException("LISTING: unknown entry type " + value);
        }
    }

    /** Checks the fields. */
    public ListingEntry {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        if (name.isEmpty() || name.indexOf('/') >= 0) {
            throw new IllegalArgumentException("an entry name is one non-empty segment");
        }
        if (size < 0) {
            throw new IllegalArgumentException("size is negative: " + size);
        }
    }

    void encode(WireWriter out) {
        out.string(name).u8(type.wireValue()).i64(size).i64(modifiedMillis);
    }

    static ListingEntry decode(WireReader in) throws ProtocolException {
        String name = in.string("name");
        if (name.isEmpty() || name.indexOf('/') >= 0) {
            throw new ProtocolException("LISTING: an entry name must be one non-empty segment");
        }
        Type type = Type.fromWire(in.u8());
        long size = in.nonNegative("size");
        return new ListingEntry(name, type, size, in.i64());
    }
}
