package org.mpft.protocol;

import java.util.Objects;

/**
 * One entry of a {@link Listing}: {@code string name | u8 type | i64 size | i64 mtime | i32 permissions}.
 *
 * @param name           the entry's name in its folder: one segment, no {@code /}, not empty
 * @param type           a file or a folder
 * @param size           the size in bytes, not negative
 * @param modifiedMillis the modification time, ms since the epoch
 * @param permissions    the POSIX permission bits ({@code 0} to {@code 07777}: set-user-ID, set-group-ID, sticky,
 *                       then read/write/execute for owner, group and others), or {@link #UNKNOWN_PERMISSIONS}
 *                       when the host has none
 */
public record ListingEntry(String name, Type type, long size, long modifiedMillis, int permissions) {

    /** The {@code permissions} of an entry whose host has no POSIX permission bits. */
    public static final int UNKNOWN_PERMISSIONS = -1;

    /** The largest permission value: every bit of {@code 07777}. */
    public static final int MAX_PERMISSIONS = 07777;

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
        if (permissions != UNKNOWN_PERMISSIONS && (permissions < 0 || permissions > MAX_PERMISSIONS)) {
            throw new IllegalArgumentException("permissions are -1 or 0 to 07777: " + Integer.toOctalString(permissions));
        }
    }

    /** True when the host reported the entry's permission bits. */
    public boolean hasPermissions() {
        return permissions != UNKNOWN_PERMISSIONS;
    }

    void encode(WireWriter out) {
        out.string(name).u8(type.wireValue()).i64(size).i64(modifiedMillis).i32(permissions);
    }

    static ListingEntry decode(WireReader in) throws ProtocolException {
        String name = in.string("name");
        if (name.isEmpty() || name.indexOf('/') >= 0) {
            throw new ProtocolException("LISTING: an entry name must be one non-empty segment");
        }
        Type type = Type.fromWire(in.u8());
        long size = in.nonNegative("size");
        long mtime = in.i64();
        int permissions = in.i32();
        if (permissions != UNKNOWN_PERMISSIONS && (permissions < 0 || permissions > MAX_PERMISSIONS)) {
            throw new ProtocolException("LISTING: permissions must be -1 or 0 to 07777, got " + permissions);
        }
        return new ListingEntry(name, type, size, mtime, permissions);
    }
}
