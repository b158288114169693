package org.mpft.plugin.session;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import java.net.InetAddress;
import java.time.Duration;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.mpft.plugin.control.ControlStreamHandler;
import org.mpft.plugin.control.StreamPriorities;
import org.mpft.api.AuthenticationFailed;
import org.mpft.api.Principal;
import org.mpft.plugin.primary.PrimaryTransfer;
import org.mpft.plugin.secondary.AttachHandler;
import org.mpft.protocol.Attach;
import org.mpft.protocol.AuthOk;
import org.mpft.protocol.AuthPassword;
import org.mpft.protocol.AuthPublicKey;
import org.mpft.protocol.AuthToken;
import org.mpft.protocol.Bytes;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.Features;
import org.mpft.protocol.Frame;
import org.mpft.protocol.FrameCodec;
import org.mpft.protocol.FrameType;
import org.mpft.protocol.Hello;
import org.mpft.protocol.ListRequest;
import org.mpft.protocol.LogText;
import org.mpft.protocol.MpftException;
import org.mpft.protocol.ProtocolException;
import org.mpft.protocol.ServerHello;
import org.mpft.transport.FrameStreamCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection: the login and open phases of its control stream.
 * {@code HELLO -> SERVER_HELLO (challenge) -> AUTH_* -> AUTH_OK -> OPEN} (AUTH_TOKEN, a session offer's token,
 * goes through the same throttle as a password); from AUTH_OK the control stream carries a
 * {@link TransferConversation} (OPEN, then a {@link PrimaryTransfer}'s frames up to DONE or CANCEL, then
 * another OPEN). With {@link Features#TRANSFER_STREAMS} the client may open further bidirectional streams after
 * AUTH_OK, each with a conversation of its own ({@link TransferStreamHandler}), so several transfers run at once
 * (at most {@code mpft.max-concurrent-transfers}; {@code mpft.max-transfers-per-session} counts the OPENs of
 * every stream); such a stream before AUTH_OK is a protocol error. Between transfers a LIST on the control
 * stream is answered by a {@link DirectoryLister} (LISTING or ERROR, then the session waits again; with
 * {@link Features#LIST_PIPELINE} further LISTs may come meanwhile and are answered in turn). A frame
 * out of order is answered with ERROR(PROTOCOL_ERROR) and the connection closes; so does a failed login (after
 * {@code mpft.auth-failure-delay}). A refused OPEN (no such file, access denied ...) is answered with ERROR
 * and the stream waits for another OPEN. On a secondary, a
 * client sends ATTACH (its ticket) instead of logging in: the session hands the control stream to an
 * {@link AttachHandler}; AUTH_* is refused there (a secondary has no login), so OPEN is never reached. Until
 * AUTH_OK (or the hand-over of an ATTACH) the connection holds a place of the {@link PreLoginLimits} budget;
 * one that has not got there by {@code mpft.login-timeout} is closed. A connection over that budget is
 * answered LIMIT_EXCEEDED at its HELLO. Logins are checked on the {@link LoginPool} (one per user and source
 * at a time, {@link LoginThrottle}), files opened on the I/O pool; every state change happens on the
 * connection's event loop.
 */
public final class Session extends ControlStreamHandler {

    private static final Logger LOG = LoggerFactory.getLogger(Session.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Bytes of the login challenge. */
    static final int CHALLENGE_BYTES = 32;

    /**
     * The longest control frame taken before login (HELLO, AUTH_*, ATTACH are far smaller): a connection that
     * has not logged in can make the server buffer no more than this of a frame.
     */
    static final int PRE_LOGIN_MAX_FRAME = 64 * 1024;

    private enum State { HELLO, AUTH, AUTHENTICATING, OPEN, LISTING, ATTACHED, CLOSED }

    private final PreLoginLimits.Admission admission;
    private final ScheduledFuture<?> loginDeadline;
    private final Sessions shared;
    private QuicStreamChannel control;
    private FrameStreamCodec controlCodec;
    private State state = State.HELLO;
    /** True once the conversation is over (ended, failed or closed): the session no longer counts against limits. */
    private volatile boolean ended;
    private Bytes challenge;
    private Principal user;
    private long features;
    /** The transfers of the control stream and of the transfer streams; from AUTH_OK. */
    private SessionTransfers transfers;
    private SessionLimits.UserSession userSession;
    private DirectoryLister lister;

    Session(QuicChannel connection, PreLoginLimits.Admission admission, Sessions shared) {
        super(connection);
        this.admission = admission;
        this.shared = shared;
        this.loginDeadline = connection.eventLoop().schedule(this::loginDeadlinePassed,
                Math.max(0, admission.remaining().toNanos()), TimeUnit.NANOSECONDS);
    }

    /** Closes a connection that has not logged in by {@code mpft.login-timeout}, freeing its place. */
    private void loginDeadlinePassed() {
        if (state == State.CLOSED || admission.released()) {
            return;
        }
        Duration timeout = shared.limits().preLogin().loginTimeout();
        LOG.info("connection from {} closed: no login within {} ms (mpft.login-timeout)",
                connection.remoteSocketAddress(), timeout.toMillis());
        fail(ErrorCode.AUTHENTICATION_FAILED, "no login within " + timeout.toMillis() + " ms on "
                + shared.settings().name() + " (mpft.login-timeout)");
    }

    /**
     * The connection carries a primary's cluster link (a secondary's listener saw a cluster frame first): its
     * own handshake guards it, so it leaves the budget of connections not logged in and has no login
     * deadline. Called on the event loop.
     *
     * @return false when the connection came over the budget of connections not logged in (the caller closes it)
     */
    public boolean servesClusterLink() {
        if (admission.refused()) {
            return false;
        }
        leftPreLogin();
        return true;
    }

    /** The connection logged in (or handed its ATTACH over): it leaves the budget of connections not logged in. */
    private void leftPreLogin() {
        loginDeadline.cancel(false);
        admission.release();
        if (controlCodec != null) {
            controlCodec.allowFramesUpTo(FrameCodec.MAX_FRAME_LENGTH);
        }
    }

    /**
     * Takes a client-opened stream as the control stream when it is the connection's first bidirectional
     * one. Called on the event loop.
     *
     * @return false when the stream is not wanted (the caller closes it)
     */
    public boolean acceptControlStream(QuicStreamChannel stream) {
        if (control != null || stream.type() != QuicStreamType.BIDIRECTIONAL || state == State.CLOSED) {
            return false;
        }
        control = stream;
        stream.updatePriority(StreamPriorities.CONTROL);
        controlCodec = new FrameStreamCodec(FrameType.Link.CONTROL, PRE_LOGIN_MAX_FRAME);
        stream.pipeline().addLast(controlCodec, this);
        return true;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Frame frame) {
        try {
            handle(ctx, frame);
        } catch (MpftException e) {
            fail(e.code(), e.getMessage());
        }
    }

    private void handle(ChannelHandlerContext ctx, Frame frame) throws MpftException {
        switch (state) {
            case HELLO -> onHello(expect(frame, Hello.class));
            case AUTH -> onAuth(ctx, frame);
            case OPEN -> {
                TransferConversation onControl = transfers.control();
                if (frame instanceof ListRequest request && onControl.idle()) {
                    onList(request);
                } else {
                    onControl.handle(frame);
                }
            }
            case LISTING -> {
                if (!(frame instanceof ListRequest request) || !Features.has(features, Features.LIST_PIPELINE)) {
                    throw unexpected(frame);
                }
                lister.hold(shared.settings().name(), request); // answered after those being answered
            }
            case CLOSED -> { }
            default -> throw unexpected(frame);
        }
    }

    private void onHello(Hello hello) throws MpftException {
        SessionSettings settings = shared.settings();
        if (admission.refused()) {
            // over the budget of connections not logged in: told so in words the client retries on (busy)
            throw new MpftException(ErrorCode.LIMIT_EXCEEDED, settings.name() + " has too many connections that"
                    + " have not logged in yet, from this address or in all; try again later");
        }
        if (shared.limits().full()) {
            throw new MpftException(ErrorCode.LIMIT_EXCEEDED, settings.name()
                    + " serves " + settings.maxSessions() + " sessions at most; try again later");
        }
        if (hello.version() < 1) {
            throw new MpftException(ErrorCode.UNSUPPORTED_VERSION, "protocol version " + hello.version()
                    + " is not supported (this server speaks " + FrameCodec.PROTOCOL_VERSION + ")");
        }
        byte[] random = new byte[CHALLENGE_BYTES];
        RANDOM.nextBytes(random);
        challenge = Bytes.of(random);
        state = State.AUTH;
        features = hello.features() & (Features.MULTI_PATH | (settings.compression() ? Features.COMPRESSION : 0L)
                | (shared.secondary() == null ? Features.TRANSFER_STREAMS | Features.FILE_DIGEST
                        | Features.LIST_PIPELINE : 0L));
        write(new ServerHello(Math.min(hello.version(), FrameCodec.PROTOCOL_VERSION), features, challenge,
                settings.name()));
        LOG.debug("session from {}: {}", connection.remoteSocketAddress(), LogText.quote(hello.agent()));
    }

    private void onAuth(ChannelHandlerContext ctx, Frame frame) throws MpftException {
        if (frame instanceof Attach attach && shared.secondary() != null) {
            // a secondary's client: the attach handler takes the control stream from here on
            userSession = shared.limits().enterAttached();
            if (userSession == null) {
                throw new MpftException(ErrorCode.LIMIT_EXCEEDED, shared.settings().name() + " serves "
                        + shared.settings().maxSessions() + " sessions at most; try again later");
            }
            state = State.ATTACHED;
            leftPreLogin();
            AttachHandler attaching = new AttachHandler(connection, control, shared.secondary(),
                    shared.settings().authFailureDelay(), this::releaseSlots);
            ctx.pipeline().replace(this, "attach", attaching);
            attaching.attach(attach);
            return;
        }
        if (!(frame instanceof AuthPassword) && !(frame instanceof AuthPublicKey) && !(frame instanceof AuthToken)) {
            throw unexpected(frame);
        }
        if (shared.secondary() != null) {
            // a secondary has no login of its own: the host is never asked, so it cannot be guessed against
            LOG.warn("login from {} refused: this instance is a secondary", connection.remoteSocketAddress());
            throw new MpftException(ErrorCode.AUTHENTICATION_FAILED, shared.settings().name()
                    + " is a secondary: it has no login; attach with a ticket from the primary");
        }
        state = State.AUTHENTICATING;
        // the client has sent its login in time: from here the host's answer (on a busy pool, behind other
        // logins' password hashing) decides, and a failure closes the connection; the deadline is for silence
        loginDeadline.cancel(false);
        String name = SessionAuthenticator.user(frame);
        InetAddress source = SessionLimits.address(connection.remoteSocketAddress());
        // the attempt is reserved before the host is asked: one per user and source at a time, a failure
        // unless the host says OK
        LoginThrottle.Start start = shared.limits().throttle().begin(name, source);
        if (start instanceof LoginThrottle.Locked locked) {
            long lockedMs = locked.remaining().toMillis();
            // login locked: refused without asking the host, guessing goes no faster than the back-off
            LOG.warn("login of '{}' from {} refused: too many failed logins of this user or address ({} ms left)",
                    LogText.quote(name), connection.remoteSocketAddress(), lockedMs);
            throw new MpftException(ErrorCode.AUTHENTICATION_FAILED, "authentication failed for user " + name + " on "
                    + shared.settings().name() + ": too many failed logins, try again in "
                    + ((lockedMs + 999) / 1000) + " s");
        }
        if (start instanceof LoginThrottle.Busy) {
            // login busy: the same user from the same source is being checked; not a failure, the client retries
            LOG.warn("login of '{}' from {} refused: a login of this user from this address is in progress",
                    LogText.quote(name), connection.remoteSocketAddress());
            throw new MpftException(ErrorCode.LIMIT_EXCEEDED, "a login of user " + name + " from this address is"
                    + " in progress on " + shared.settings().name() + "; try again when it ends");
        }
        LoginThrottle.Attempt attempt = (LoginThrottle.Attempt) start;
        if (!shared.login().offer(() -> check(frame, name, attempt))) {
            attempt.abandoned();
            LOG.warn("login of '{}' from {} refused: every login thread is busy and the login queue is full",
                    LogText.quote(name), connection.remoteSocketAddress());
            throw new MpftException(ErrorCode.LIMIT_EXCEEDED, shared.settings().name()
                    + " is checking too many logins; try again later");
        }
    }

    /** Asks the host (on the login pool); the attempt counts as failed unless the host says OK. */
    private void check(Frame frame, String name, LoginThrottle.Attempt attempt) {
        try {
            Principal principal = shared.authenticator().check(frame, challenge);
            attempt.succeeded(); // login ok (the host's check; session limits are checked next, in loggedIn)
            onLoop(() -> loggedIn(principal));
        } catch (AuthenticationFailed | RuntimeException e) {
            attempt.failed();
            // login failed: counted for the user and the source
            LOG.warn("login of '{}' from {} refused: {}", LogText.quote(name),
                    connection.remoteSocketAddress(), LogText.quote(e.getMessage()));
            connection.eventLoop().schedule(() -> fail(ErrorCode.AUTHENTICATION_FAILED,
                            "authentication failed for user " + name + " on " + shared.settings().name()),
                    shared.settings().authFailureDelay().toMillis(), TimeUnit.MILLISECONDS);
        } finally {
            attempt.failed(); // no-op once ended; an Error thrown by the host still counts as a failure
        }
    }

    private void loggedIn(Principal principal) {
        if (state != State.AUTHENTICATING) {
            return;
        }
        SessionLimits limits = shared.limits();
        SessionLimits.UserSession entered = limits.enter(principal.name());
        if (entered == null && limits.full()) {
            LOG.warn("login of '{}' from {} refused: {} sessions already", LogText.quote(principal.name()),
                    connection.remoteSocketAddress(), shared.settings().maxSessions());
            fail(ErrorCode.LIMIT_EXCEEDED, shared.settings().name() + " serves " + shared.settings().maxSessions()
                    + " sessions at most; try again later");
            return;
        }
        if (entered == null) {
            LOG.warn("login of '{}' from {} refused: {} sessions already", LogText.quote(principal.name()),
                    connection.remoteSocketAddress(), limits.maxSessionsPerUser());
            fail(ErrorCode.LIMIT_EXCEEDED, "user " + principal.name() + " already has " + limits.maxSessionsPerUser()
                    + " sessions on " + shared.settings().name() + " (mpft.max-sessions-per-user"
                    + "); try again when one ends");
            return;
        }
        leftPreLogin();
        userSession = entered;
        user = principal;
        state = State.OPEN;
        transfers = new SessionTransfers(this, shared, connection, principal, features, control);
        write(new AuthOk(principal.name()));
    }

    /**
     * Takes a further client-opened bidirectional stream as a transfer stream, when both sides speak
     * {@link Features#TRANSFER_STREAMS}. One opened before AUTH_OK ends the connection with PROTOCOL_ERROR.
     * Called on the event loop.
     *
     * @return false when the stream is not wanted (the caller refuses it as before transfer streams)
     */
    public boolean acceptTransferStream(QuicStreamChannel stream) {
        if (control == null || stream.type() != QuicStreamType.BIDIRECTIONAL || state == State.CLOSED
                || !Features.has(features, Features.TRANSFER_STREAMS)) {
            return false;
        }
        if (transfers == null) {
            stream.pipeline().addLast(new FrameStreamCodec(FrameType.Link.CONTROL, PRE_LOGIN_MAX_FRAME));
            failOn(stream, ErrorCode.PROTOCOL_ERROR, "a transfer stream before AUTH_OK");
        } else {
            transfers.accept(stream);
        }
        return true;
    }

    /** A LIST between transfers: answered off the loop; the session waits, holding further pipelined LISTs. */
    private void onList(ListRequest request) throws MpftException {
        lister = lister == null ? shared.lister() : lister;
        lister.admit(shared.settings().name());
        answerLists(List.of(request));
    }

    /** Answers {@code requests} in one pass off the loop, then those held meanwhile, in the order they came. */
    private void answerLists(List<ListRequest> requests) {
        state = State.LISTING;
        blocking(() -> {
            List<Frame> answers = requests.stream().map(request -> lister.answer(user, request)).toList();
            onLoop(() -> {
                if (state == State.LISTING) {
                    answers.forEach(this::write);
                    List<ListRequest> held = lister.takeHeld();
                    state = State.OPEN;
                    if (!held.isEmpty()) {
                        answerLists(held); // LISTING again
                    }
                }
            });
        });
    }

    private <T extends Frame> T expect(Frame frame, Class<T> type) throws ProtocolException {
        if (!type.isInstance(frame)) {
            throw unexpected(frame);
        }
        return type.cast(frame);
    }

    private ProtocolException unexpected(Frame frame) {
        return new ProtocolException("unexpected " + frame.type() + " frame in state " + state);
    }

    /** True once the conversation is over; such a session no longer counts against the session limits. */
    public boolean ended() {
        return ended;
    }

    /** Frees the session's places under the total and per-user session limits. Idempotent; event loop. */
    private void releaseSlots() {
        ended = true;
        leftPreLogin();
        if (userSession != null) {
            userSession.close();
            userSession = null;
        }
    }

    /** The connection closed: stop the transfer and release everything. Idempotent; any thread. */
    @Override
    public void connectionClosed() {
        if (!connection.eventLoop().inEventLoop()) {
            onLoop(this::connectionClosed);
            return;
        }
        state = State.CLOSED;
        closeTransfers(true);
        releaseSlots();
    }

    /** Answers with ERROR and closes the session (the client closes first, or the server after a grace). */
    @Override
    public void fail(ErrorCode code, String message) {
        failOn(control, code, message);
    }

    /** Answers with ERROR on {@code stream} and closes the session, stopping every transfer. Event loop. */
    void failOn(QuicStreamChannel stream, ErrorCode code, String message) {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        closeTransfers(false);
        releaseSlots(); // a refused or failed session stops counting at once, during the close grace too
        sendErrorAndClose(stream, code, message);
    }

    private void closeTransfers(boolean connectionLost) {
        if (transfers != null) {
            transfers.closeAll(connectionLost);
        }
    }

    /** Writes {@code frame} on the control stream. */
    private void write(Frame frame) {
        if (control != null) {
            control.writeAndFlush(frame);
        }
    }

    /** Runs {@code task} on the connection's event loop; false when the loop no longer takes work. */
    boolean onLoopOf(Runnable task) {
        return onLoop(task);
    }

    /** Runs {@code task} on the I/O pool; the connection closes when the pool refuses it. */
    void blocking(Runnable task) {
        try {
            shared.io().execute(task);
        } catch (RejectedExecutionException e) {
            connection.close();
        }
    }
}
