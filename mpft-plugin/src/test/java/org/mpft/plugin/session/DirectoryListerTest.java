package org.mpft.plugin.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.mpft.api.AccessDenied;
import org.mpft.api.DirectoryEntry;
import org.mpft.api.DirectoryPage;
import org.mpft.api.FileAccess;
import org.mpft.api.HostException;
import org.mpft.api.InvalidPath;
import org.mpft.api.NoSuchFile;
import org.mpft.api.Principal;
import org.mpft.api.ReadableFile;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.ErrorFrame;
import org.mpft.protocol.Features;
import org.mpft.protocol.Frame;
import org.mpft.protocol.ListRequest;
import org.mpft.protocol.Listing;
import org.mpft.protocol.ListingEntry;
import org.mpft.protocol.MpftException;

/**
 * The lister between LIST frames and the host's {@link FileAccess#list}. The host is a scripted
 * {@link FileAccess} over an in-memory folder (a stand-in: the real hosts' listing is tested by the TCK,
 * and end to end by {@code ListIT}); what is checked here is the plugin's own part: names, paging, refusals
 * and the session's bound.
 */
class DirectoryListerTest {

    private static final Principal ALICE = Principal.of("alice");

    /** A folder of names, listed by the API's rules; "secret" is refused, "missing" does not exist. */
    private static final class ScriptedHost implements FileAccess {
        final TreeMap<String, DirectoryEntry> entries = new TreeMap<>();
        final List<String> asked = new ArrayList<>();
        RuntimeException failure;

        void add(String name) {
            entries.put(name, new DirectoryEntry(name, DirectoryEntry.Type.FILE, 3, 1000));
        }

        @Override
        public ReadableFile openForRead(Principal user, String path) {
            throw new AssertionError("not used");
        }

        @Override
        public DirectoryPage list(Principal user, String path, String after, int max) throws HostException, IOException {
            asked.add(path + "|" + after + "|" + max);
            if (failure != null) {
                throw failure;
            }
            switch (path) {
                case "secret" -> throw new AccessDenied("no read access to /secret");
                case "missing" -> throw new NoSuchFile("no such file: /missing");
                case "io" -> throw new IOException("disk error in /srv/data/alice/io");
                case "link" -> throw new InvalidPath("path leads outside the home: /link");
                default -> { }
            }
            List<DirectoryEntry> page = new ArrayList<>();
            for (DirectoryEntry e : (after == null || after.isEmpty() ? entries : entries.tailMap(after, false)).values()) {
                if (page.size() == max) {
                    return new DirectoryPage(page, true);
                }
                page.add(e);
            }
            return new DirectoryPage(page, false);
        }
    }

    private final ScriptedHost host = new ScriptedHost();
    private final DirectoryLister lister = new DirectoryLister(host, 3);

    @Test
    void aPageHoldsTheHostsEntriesAsListingEntries() {
        host.add("a.txt");
        host.entries.put("dir", new DirectoryEntry("dir", DirectoryEntry.Type.DIRECTORY, 4096, 5, 02755));
        Frame answer = lister.answer(ALICE, new ListRequest("", "", 10));
        assertThat(answer).as("the host's permission bits, and -1 where it has none").isEqualTo(new Listing(List.of(
                new ListingEntry("a.txt", ListingEntry.Type.FILE, 3, 1000, ListingEntry.UNKNOWN_PERMISSIONS),
                new ListingEntry("dir", ListingEntry.Type.DIRECTORY, 4096, 5, 02755)), false));
        assertThat(host.asked).containsExactly("||10");
    }

    @Test
    void pagesFollowTheClientsAfterAndSayWhetherMoreFollow() {
        for (String name : List.of("a", "b", "c", "d", "e")) {
            host.add(name);
        }
        Listing first = (Listing) lister.answer(ALICE, new ListRequest("pub", "", 2));
        assertThat(first.entries()).extracting(ListingEntry::name).containsExactly("a", "b");
        assertThat(first.more()).isTrue();
        Listing last = (Listing) lister.answer(ALICE, new ListRequest("pub", "d", 2));
        assertThat(last.entries()).extracting(ListingEntry::name).containsExactly("e");
        assertThat(last.more()).isFalse();
    }

    @Test
    void namesTheNameRuleRefusesAreLeftOutAndThePageFilledFromTheHostsNextPages() {
        host.add("a");
        host.add("b\u001b[2Jevil");
        host.add("c\u202e");
        host.add("d");
        host.add("e");
        Listing page = (Listing) lister.answer(ALICE, new ListRequest("", "", 2));
        assertThat(page.entries()).extracting(ListingEntry::name).containsExactly("a", "d");
        assertThat(page.more()).isTrue();
        assertThat(host.asked).containsExactly("||2", "|b\u001b[2Jevil|2");
    }

    @Test
    void badRequestedPathsAreInvalidPathNamingThePath() {
        for (String path : List.of("/etc", "../x", "a/../b", "a\u0000b", "a//b")) {
            Frame answer = lister.answer(ALICE, new ListRequest(path, "", 5));
            assertThat(answer).as(path).isInstanceOf(ErrorFrame.class);
            assertThat(((ErrorFrame) answer).code()).as(path).isEqualTo(ErrorCode.INVALID_PATH);
        }
        Frame badAfter = lister.answer(ALICE, new ListRequest("", "x/y", 5));
        assertThat(((ErrorFrame) badAfter).code()).isEqualTo(ErrorCode.INVALID_PATH);
        assertThat(host.asked).isEmpty();
    }

    @Test
    void hostRefusalsBecomeErrorsThatNameOnlyTheRequestedPath() {
        assertThat(error("secret")).isEqualTo(ErrorFrame.of(ErrorCode.ACCESS_DENIED,
                "access denied: secret (no read access to /secret)"));
        assertThat(error("missing").code()).isEqualTo(ErrorCode.FILE_NOT_FOUND);
        assertThat(error("missing").message()).startsWith("no such folder: missing");
        assertThat(error("link").code()).isEqualTo(ErrorCode.INVALID_PATH);
        ErrorFrame io = error("io");
        assertThat(io.code()).isEqualTo(ErrorCode.INTERNAL_ERROR);
        assertThat(io.message()).isEqualTo("cannot list io (the server's log says why)").doesNotContain("/srv");
    }

    @Test
    void aHostWithoutListingIsAnsweredUnsupported() {
        DirectoryLister old = new DirectoryLister(new FileAccess() {
            @Override
            public ReadableFile openForRead(Principal user, String path) {
                throw new AssertionError("not used");
            }
        }, 3);
        ErrorFrame answer = (ErrorFrame) old.answer(ALICE, new ListRequest("", "", 5));
        assertThat(answer.code()).isEqualTo(ErrorCode.UNSUPPORTED_VERSION);
        assertThat(answer.message()).contains("does not list folders");
    }

    @Test
    void aSessionMayListUpToItsBound() throws MpftException {
        lister.admit("srv");
        lister.admit("srv");
        lister.admit("srv");
        assertThatThrownBy(() -> lister.admit("srv")).isInstanceOf(MpftException.class)
                .hasMessageContaining("allows 3 listings per session (mpft.max-lists-per-session)")
                .extracting(e -> ((MpftException) e).code()).isEqualTo(ErrorCode.LIMIT_EXCEEDED);
    }

    @Test
    void pipelinedListsAreHeldInTheOrderTheyCameAndCountAgainstTheSessionsBound() throws MpftException {
        assertThat(lister.takeHeld()).isEmpty();
        lister.admit("srv"); // the one being answered
        lister.hold("srv", new ListRequest("a", "", 5));
        lister.hold("srv", new ListRequest("b", "", 5));
        assertThatThrownBy(() -> lister.hold("srv", new ListRequest("c", "", 5))).isInstanceOf(MpftException.class)
                .hasMessageContaining("mpft.max-lists-per-session")
                .extracting(e -> ((MpftException) e).code()).isEqualTo(ErrorCode.LIMIT_EXCEEDED);
        assertThat(lister.takeHeld()).extracting(ListRequest::path).containsExactly("a", "b");
        assertThat(lister.takeHeld()).isEmpty();
    }

    @Test
    void aSessionHoldsAtMostTheBoundOfPipelinedLists() throws MpftException {
        DirectoryLister roomy = new DirectoryLister(host, 1_000);
        for (int i = 0; i < Features.MAX_QUEUED_LISTS; i++) {
            roomy.hold("srv", new ListRequest("f" + i, "", 5));
        }
        assertThatThrownBy(() -> roomy.hold("srv", new ListRequest("one-more", "", 5)))
                .isInstanceOf(MpftException.class)
                .hasMessageContaining("holds " + Features.MAX_QUEUED_LISTS + " LIST requests at most")
                .extracting(e -> ((MpftException) e).code()).isEqualTo(ErrorCode.LIMIT_EXCEEDED);
        assertThat(roomy.takeHeld()).hasSize(Features.MAX_QUEUED_LISTS).first().extracting(ListRequest::path)
                .isEqualTo("f0");
        roomy.hold("srv", new ListRequest("after-the-take", "", 5)); // taken: room again
    }

    private ErrorFrame error(String path) {
        return (ErrorFrame) lister.answer(ALICE, new ListRequest(path, "", 5));
    }
}
