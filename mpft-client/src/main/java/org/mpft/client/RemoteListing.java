package org.mpft.client;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.mpft.protocol.AuthOk;
import org.mpft.protocol.Bytes;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.ErrorFrame;
import org.mpft.protocol.Features;
import org.mpft.protocol.Frame;
import org.mpft.protocol.ListRequest;
import org.mpft.protocol.Listing;
import org.mpft.protocol.ListingEntry;
import org.mpft.protocol.MpftException;
import org.mpft.protocol.RemotePath;
import org.mpft.protocol.ServerHello;
import org.mpft.transport.QuicTransport;
import org.mpft.transport.TransportSettings;

/**
 * A logged-in session for listing folders on one server: LIST and LISTING frames on its control stream,
 * one request at a time. Every entry name is checked with {@link RemotePath}'s rule, so a name a server
 * sends (control characters, {@code ..}, look-alikes of {@code /}) never reaches the caller unchecked.
 * Open one with {@link FileTransferClient#openListing}; not thread-safe; close it at the end.
 */
public final class RemoteListing implements AutoCloseable {

    /** How long the server may take to answer one frame. */
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    /** LIST requests in flight at once in {@link #allOf}, when the server takes them ({@link Features#LIST_PIPELINE}). */
    static final int LIST_WINDOW = 16;

    private final String server;
    private final PrimaryConnection connection;
    private final BlockingQueue<DownloadEvent> events;
    /** The server answers LISTs sent before the answer to the one before ({@link Features#LIST_PIPELINE}). */
    private boolean pipelined;

    private RemoteListing(String server, PrimaryConnection connection, BlockingQueue<DownloadEvent> events) {
        this.server = server;
        this.connection = connection;
        this.events = events;
    }

    /** Connects, checks the certificate and logs in. */
    static RemoteListing open(QuicTransport transport, TransportSettings settings, ListingRequest request)
            throws MpftException, InterruptedException {
        BlockingQueue<DownloadEvent> events = new LinkedBlockingQueue<>();
        PrimaryConnection.Pin pin = request.certificateAuthorities() != null ? sha256 -> { }
                : sha256 -> request.hostKeys().verify(request.server(), sha256, null);
        PrimaryConnection connection = PrimaryConnection.connect(transport, settings, request.server(), request.host(),
                request.port(), request.certificateAuthorities(), pin, CONNECT_TIMEOUT, transferId -> null,
                new ReceiveBudget(1 << 20), events::add);
        RemoteListing listing = new RemoteListing(request.server(), connection, events);
        try {
            connection.send(LoginFrames.hello(false));
            ServerHello hello = listing.expect(ServerHello.class, "");
            listing.pipelined = Features.has(hello.features(), Features.LIST_PIPELINE);
            connection.send(LoginFrames.login(request.user(), request.credentials(), hello.challenge(),
                    Bytes.of(connection.certificateSha256())));
            listing.expect(AuthOk.class, "");
            return listing;
        } catch (MpftException | InterruptedException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    /**
     * One page of a folder.
     *
     * @param path  the folder, relative to the user's root ({@link RemotePath} rules; {@code ""} or {@code /} is
     *              the root)
     * @param after the name the page starts after, or {@code ""} for the first page
     * @param max   the most entries, 1 to {@link Listing#MAX_ENTRIES}
     * @return the entries sorted by name, and whether more follow (ask again with the last name as {@code after})
     * @throws MpftException the server's refusal naming the path (FILE_NOT_FOUND, ACCESS_DENIED, INVALID_PATH,
     *                       LIMIT_EXCEEDED), UNSUPPORTED_VERSION from a server that cannot list, or
     *                       PROTOCOL_ERROR for an entry name that breaks the name rule
     */
    public Listing page(String path, String after, int max) throws MpftException, InterruptedException {
        String folder = folder(path);
        connection.send(new ListRequest(folder, Objects.requireNonNull(after, "after"), max));
        return answer(folder);
    }

    /** The LISTING answering the oldest LIST in flight, its names checked. */
    private Listing answer(String folder) throws MpftException, InterruptedException {
        Listing listing = expect(Listing.class, folder);
        for (ListingEntry entry : listing.entries()) {
            try {
                RemotePath.validateFileName(entry.name());
            } catch (MpftException e) {
                throw new MpftException(ErrorCode.PROTOCOL_ERROR, server + " listed a name that breaks the name rule"
                        + " in " + RemotePath.quote(folder) + ": " + e.getMessage());
            }
        }
        return listing;
    }

    /**
     * Every entry of a folder, page after page.
     *
     * @param maxEntries the most entries taken; a folder with more is refused
     * @throws MpftException LIMIT_EXCEEDED when the folder holds more than {@code maxEntries}, or what
     *                       {@link #page} throws
     */
    public List<ListingEntry> all(String path, int maxEntries) throws MpftException, InterruptedException {
        return allOf(List.of(path), maxEntries).get(0);
    }

    /**
     * Every entry of each folder, as {@link #all} gives it. With a server that takes pipelined listings
     * ({@link Features#LIST_PIPELINE}) up to {@value #LIST_WINDOW} LIST requests are in flight at once, so the
     * folders cost about one round trip between them rather than one each; with another server they are listed
     * one after another.
     *
     * @param paths      the folders
     * @param maxEntries the most entries taken over all of them; past it LIMIT_EXCEEDED
     * @return each folder's entries, in the order of {@code paths}
     * @throws MpftException the first refusal among the answers (once the answers still in flight are read, so
     *                       the session can go on), LIMIT_EXCEEDED past the bound, or what {@link #page} throws
     */
    public List<List<ListingEntry>> allOf(List<String> paths, int maxEntries) throws MpftException, InterruptedException {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be at least 1: " + maxEntries);
        }
        String[] folders = paths.stream().map(RemoteListing::folder).toArray(String[]::new);
        List<List<ListingEntry>> result = new ArrayList<>(folders.length);
        ArrayDeque<Integer> inFlight = new ArrayDeque<>();
        int window = pipelined ? LIST_WINDOW : 1;
        int next = 0;
        int total = 0;
        MpftException refused = null;
        while (refused == null && next < folders.length || !inFlight.isEmpty()) {
            while (refused == null && next < folders.length && inFlight.size() < window) {
                result.add(new ArrayList<>());
                request(folders[next], "", maxEntries - total);
                inFlight.add(next++);
            }
            int index = inFlight.remove();
            Listing page;
            try {
                page = answer(folders[index]);
            } catch (MpftException e) {
                if (!goesOn(e)) {
                    if (!inFlight.isEmpty()) {
                        connection.close(); // answers still in flight: this session can no longer be read in order
                    }
                    throw e;
                }
                refused = refused == null ? e : refused;
                continue;
            }
            if (refused != null) {
                continue; // read, so that the next request's answer is the next one read
            }
            result.get(index).addAll(page.entries());
            total += page.entries().size();
            if (total > maxEntries) {
                refused = new MpftException(ErrorCode.LIMIT_EXCEEDED, RemotePath.quote(folders[index]) + " on " + server
                        + (folders.length == 1 ? " holds" : " and the folders listed with it hold") + " more than "
                        + maxEntries + " entries");
            } else if (page.more() && !page.entries().isEmpty()) {
                request(folders[index], page.entries().get(page.entries().size() - 1).name(), maxEntries - total);
                inFlight.add(index);
            }
        }
        if (refused != null) {
            throw refused;
        }
        return result;
    }

    /** Sends a LIST for the page of {@code folder} after {@code after}: one entry more than {@code left} at most. */
    private void request(String folder, String after, int left) {
        connection.send(new ListRequest(folder, after, Math.min(Listing.MAX_ENTRIES, left + 1)));
    }

    /** True for a server's refusal of one folder after which the session answers on (protocol: LIST). */
    public static boolean goesOn(MpftException e) {
        return switch (e.code()) {
            case FILE_NOT_FOUND, ACCESS_DENIED, INVALID_PATH, INTERNAL_ERROR -> true;
            default -> false;
        };
    }

    /** The server, {@code host:port}. */
    public String server() {
        return server;
    }

    /** Closes the connection. Idempotent. */
    @Override
    public void close() {
        connection.close();
    }

    /** The wire form of a folder: no leading or trailing {@code /}; {@code ""} is the root. */
    static String folder(String path) {
        String p = Objects.requireNonNull(path, "path");
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p.equals(".") ? "" : p;
    }

    private <T extends Frame> T expect(Class<T> type, String path) throws MpftException, InterruptedException {
        DownloadEvent event = events.poll(ANSWER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        if (event == null) {
            throw new MpftException(ErrorCode.SERVER_UNAVAILABLE, server + " sent nothing for "
                    + ANSWER_TIMEOUT.toSeconds() + " s");
        }
        if (event instanceof DownloadEvent.ControlFrame control && type.isInstance(control.frame())) {
            return type.cast(control.frame());
        }
        if (event instanceof DownloadEvent.ControlFrame control && control.frame() instanceof ErrorFrame error) {
            throw refusal(server, error, type == Listing.class);
        }
        if (event instanceof DownloadEvent.Failed failed) {
            throw failed.error();
        }
        if (event instanceof DownloadEvent.ChunkArrived chunk) {
            chunk.release();
        }
        throw new MpftException(ErrorCode.PROTOCOL_ERROR, server + " sent " + describe(event) + " where "
                + type.getSimpleName() + " was expected");
    }

    /**
     * The server's ERROR as an exception. A server that predates LIST cannot decode its frame type and ends
     * the session with PROTOCOL_ERROR naming the type: that is said in words.
     */
    static MpftException refusal(String server, ErrorFrame error, boolean listing) {
        if (listing && error.code() == ErrorCode.PROTOCOL_ERROR && error.message().contains("0x12")) {
            return new MpftException(ErrorCode.UNSUPPORTED_VERSION, server + " does not support listing (its mpft/1"
                    + " is older than LIST): " + error.message());
        }
        return new MpftException(error.code(), error.message());
    }

    private static String describe(DownloadEvent event) {
        return event instanceof DownloadEvent.ControlFrame control ? control.frame().type().toString()
                : event.getClass().getSimpleName();
    }
}
