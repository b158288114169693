package org.mpft.plugin.session;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.mpft.api.DirectoryEntry;
import org.mpft.api.DirectoryPage;
import org.mpft.api.FileAccess;
import org.mpft.api.HostException;
import org.mpft.api.Principal;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.ErrorFrame;
import org.mpft.protocol.Features;
import org.mpft.protocol.Frame;
import org.mpft.protocol.ListRequest;
import org.mpft.protocol.Listing;
import org.mpft.protocol.ListingEntry;
import org.mpft.protocol.LogText;
import org.mpft.protocol.MpftException;
import org.mpft.protocol.RemotePath;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers one session's LIST requests: mpft's name rule ({@link RemotePath}) on the requested folder, the
 * host's own read rules ({@link FileAccess#list}), and a bound on the pages one session may ask for
 * ({@code mpft.max-lists-per-session}), so that a client cannot enumerate without end. Entries whose names
 * break the name rule (control characters, look-alikes of {@code /} ...) are left out, as they could not be
 * downloaded either; a page is filled from the host's next pages when that leaves it short. A refusal names
 * the requested path and nothing of the server's, as {@link FileOpener}'s do. {@link #answer} blocks: call
 * it off the event loop, one request at a time; the LISTs of a pipelined listing that come meanwhile are held
 * ({@link #hold}) and answered in turn.
 */
final class DirectoryLister {

    private static final Logger LOG = LoggerFactory.getLogger(DirectoryLister.class);

    /** Host pages read for one LIST at most, when names the rule refuses leave a page short. */
    static final int MAX_HOST_PAGES = 100;

    private final FileAccess access;
    private final int maxLists;
    private int lists;
    /** LISTs that came while others were being answered (pipelined listing); event loop. */
    private final ArrayDeque<ListRequest> held = new ArrayDeque<>();

    /**
     * @param access   the host's file access
     * @param maxLists the most LIST requests of the session ({@code mpft.max-lists-per-session})
     */
    DirectoryLister(FileAccess access, int maxLists) {
        this.access = Objects.requireNonNull(access, "access");
        this.maxLists = maxLists;
    }

    /**
     * Counts one LIST against the session's bound. Event loop.
     *
     * @throws MpftException LIMIT_EXCEEDED (the session ends) once the bound is passed
     */
    void admit(String serverName) throws MpftException {
        if (++lists > maxLists) {
            throw new MpftException(ErrorCode.LIMIT_EXCEEDED, serverName + " allows " + maxLists
                    + " listings per session (mpft.max-lists-per-session); connect again");
        }
    }

    /**
     * Holds a LIST that came while others are being answered, counted against the session's bound like any.
     * Event loop.
     *
     * @throws MpftException LIMIT_EXCEEDED (the session ends) past the bound, or past
     *                       {@link Features#MAX_QUEUED_LISTS} held at once
     */
    void hold(String serverName, ListRequest request) throws MpftException {
        admit(serverName);
        if (held.size() >= Features.MAX_QUEUED_LISTS) {
            throw new MpftException(ErrorCode.LIMIT_EXCEEDED, serverName + " holds " + Features.MAX_QUEUED_LISTS
                    + " LIST requests at most behind those it is answering");
        }
        held.add(request);
    }

    /** The held LISTs, in the order they came (none are held afterwards). Event loop. */
    List<ListRequest> takeHeld() {
        List<ListRequest> taken = List.copyOf(held);
        held.clear();
        return taken;
    }

    /** The LISTING for {@code request}, or an ERROR naming the requested path. Blocking. */
    Frame answer(Principal user, ListRequest request) {
        String path = request.path();
        try {
            if (!path.isEmpty()) {
                RemotePath.validate(path);
            }
            if (!request.after().isEmpty()) {
                RemotePath.validateFileName(request.after());
            }
            return list(user, request);
        } catch (MpftException e) {
            LOG.info("{} may not list {}: {}", LogText.quote(user.name()), LogText.quote(path),
                    LogText.quote(e.getMessage()));
            return ErrorFrame.of(e.code(), e.getMessage());
        }
    }

    private Listing list(Principal user, ListRequest request) throws MpftException {
        String path = request.path();
        List<ListingEntry> entries = new ArrayList<>();
        String after = request.after();
        for (int read = 0; read < MAX_HOST_PAGES; read++) {
            DirectoryPage page = hostPage(user, path, after, request.max());
            for (DirectoryEntry entry : page.entries()) {
                if (entries.size() == request.max()) {
                    return new Listing(entries, true);
                }
                if (nameAllowed(entry.name())) {
                    entries.add(new ListingEntry(entry.name(), entry.type() == DirectoryEntry.Type.DIRECTORY
                            ? ListingEntry.Type.DIRECTORY : ListingEntry.Type.FILE, entry.size(),
                            entry.modifiedMillis(), entry.permissions()));
                }
                after = entry.name();
            }
            if (!page.more() || entries.size() == request.max()) {
                return new Listing(entries, page.more());
            }
            if (page.entries().isEmpty()) {
                break; // a host that says "more" with nothing in the page: do not loop on it
            }
        }
        if (!entries.isEmpty()) {
            return new Listing(entries, true);
        }
        LOG.warn("{} cannot list {}: over {} host pages of names the name rule refuses",
                LogText.quote(user.name()), LogText.quote(path), MAX_HOST_PAGES);
        throw new MpftException(ErrorCode.INTERNAL_ERROR, "cannot list " + describePath(path)
                + " (the server's log says why)");
    }

    private DirectoryPage hostPage(Principal user, String path, String after, int max) throws MpftException {
        try {
            return access.list(user, path, after, max);
        } catch (HostException e) {
            ErrorCode code = FileOpener.code(e);
            throw new MpftException(code, describe(path, code) + detail(path, e.getMessage()), e);
        } catch (AccessDeniedException e) {
            LOG.info("{} may not list {}: {}", LogText.quote(user.name()), LogText.quote(path), LogText.quote(e));
            throw new MpftException(ErrorCode.ACCESS_DENIED, describe(path, ErrorCode.ACCESS_DENIED), e);
        } catch (UnsupportedOperationException e) {
            throw new MpftException(ErrorCode.UNSUPPORTED_VERSION,
                    "this server's host does not list folders (its FileAccess has no list)", e);
        } catch (IOException | RuntimeException e) {
            LOG.warn("{} cannot list {}: {}", LogText.quote(user.name()), LogText.quote(path), LogText.quote(e));
            throw new MpftException(ErrorCode.INTERNAL_ERROR, describe(path, ErrorCode.INTERNAL_ERROR), e);
        }
    }

    /** A name the client may be shown and may download under: one segment by {@link RemotePath}'s rule. */
    private static boolean nameAllowed(String name) {
        try {
            RemotePath.validateFileName(name);
            return true;
        } catch (MpftException e) {
            return false;
        }
    }

    private static String detail(String path, String detail) {
        return detail == null || detail.isBlank() || detail.equals(path) ? "" : " (" + detail + ")";
    }

    private static String describePath(String path) {
        return path.isEmpty() ? "the home folder" : path;
    }

    /** What the client is told: the code in words and the path it asked for, nothing of the server's. */
    private static String describe(String path, ErrorCode code) {
        String what = describePath(path);
        return switch (code) {
            case FILE_NOT_FOUND -> "no such folder: " + what;
            case INVALID_PATH -> "invalid path: " + what;
            case ACCESS_DENIED -> "access denied: " + what;
            default -> "cannot list " + what + " (the server's log says why)";
        };
    }
}
