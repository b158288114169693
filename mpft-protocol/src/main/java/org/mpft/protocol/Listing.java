package org.mpft.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Primary to client (LISTING): one page of a folder, the answer to a {@link ListRequest}; entries sorted
 * by name, and whether entries follow the last one (ask again with it as {@code after}).
 * Wire: {@code u8 more | u16 count | count x entry}.
 *
 * @param entries at most {@link #MAX_ENTRIES} entries
 * @param more    true when the folder has entries after the last one
 */
public record Listing(List<ListingEntry> entries, boolean more) implements Frame {

    /** The most entries in one page. */
    public static final int MAX_ENTRIES = 1000;

    /** Checks and freezes the entries. */
    public Listing {
        entries = List.copyOf(Objects.requireNonNull(entries, "entries"));
        if (entries.size() > MAX_ENTRIES) {
            throw new IllegalArgumentException("too many entries: " + entries.size() + " > " + MAX_ENTRIES);
        }
    }

    @Override
    public FrameType type() {
        return FrameType.LISTING;
    }

    @Override
    public void encodeBody(WireWriter out) {
        out.bool(more).u16(entries.size());
        for (ListingEntry entry : entries) {
            entry.encode(out);
        }
    }

    static Listing decode(WireReader in) throws ProtocolException {
        boolean more = in.bool();
        int count = in.u16();
        if (count > MAX_ENTRIES) {
            throw new ProtocolException("LISTING: " + count + " entries, over " + MAX_ENTRIES);
        }
        List<ListingEntry> entries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            entries.add(ListingEntry.decode(in));
        }
        return new Listing(entries, more);
    }
}
