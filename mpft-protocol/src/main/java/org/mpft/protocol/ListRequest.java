package org.mpft.protocol;

import java.util.Objects;

/**
 * Client to primary, after login (LIST): one page of a folder's entries. Answered with {@link Listing} or
 * with ERROR naming the requested path.
 *
 * @param path  a folder inside the user's root ({@link RemotePath} rules), or {@code ""} for the root itself
 * @param after the name the page starts after (exclusive), or {@code ""} for the first page
 * @param max   the most entries wanted, 1 to {@link Listing#MAX_ENTRIES}
 */
public record ListRequest(String path, String after, int max) implements Frame {

    /** Checks the fields. */
    public ListRequest {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(after, "after");
        if (max < 1 || max > Listing.MAX_ENTRIES) {
            throw new IllegalArgumentException("max " + max + " outside [1, " + Listing.MAX_ENTRIES + "]");
        }
    }

    @Override
    public FrameType type() {
        return FrameType.LIST;
    }

    @Override
    public void encodeBody(WireWriter out) {
        out.string(path).string(after).u16(max);
    }

    static ListRequest decode(WireReader in) throws ProtocolException {
        String path = in.string("path");
        String after = in.string("after");
        int max = in.u16();
        if (max < 1 || max > Listing.MAX_ENTRIES) {
            throw new ProtocolException("LIST: max " + max + " outside [1, " + Listing.MAX_ENTRIES + "]");
        }
        return new ListRequest(path, after, max);
    }
}
