package dev.switchboard.relay.session;

import dev.switchboard.core.config.Settings;
import dev.switchboard.relay.realtime.RealtimeConnector;
import dev.switchboard.relay.realtime.RealtimeLink;
import dev.switchboard.relay.realtime.RealtimeListener;
import dev.switchboard.relay.realtime.RealtimeSender;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;

/**
 * The call's current Realtime session socket and its life: opened at the start, closed on hold,
 * renewed at a quiet moment before its 60-minute limit, replaced (a bounded number of times) when it
 * drops. Events sent while no session is open go nowhere: the conversation log keeps what the next
 * session must hear.
 *
 * <p>One per call, used on the call's event loop only.
 */
public final class RealtimeSession implements RealtimeSender {

    /** Realtime sessions that drop are replaced this many times before the call gives up. */
    public static final int MAX_REPLACEMENTS = 3;
    /** How often the session's age is checked: often enough to find a quiet moment soon after the limit nears. */
    static final long AGE_CHECK_MS = 5_000;

    private final Vertx vertx;
    private final Settings settings;
    private final RealtimeConnector connector;
    private final RealtimeListener listener;
    /** A socket opened during the claim and not yet taken by {@link #connect}. */
    private Future<RealtimeLink> early;
    private final long renewAfterNanos;
    /** {@link #AGE_CHECK_MS}, or a quarter of a shorter renewal period (tests use seconds). */
    private final long ageCheckMs;
    private RealtimeLink link;
    private long startedNanos;
    private int replacements;
    private long ageTimer = -1;

    public RealtimeSession(Vertx vertx, Settings settings, RealtimeConnector connector, RealtimeListener listener,
                           Duration renewAfter) {
        this.vertx = vertx;
        this.settings = settings;
        this.connector = connector;
        this.listener = listener;
        this.renewAfterNanos = renewAfter.toNanos();
        this.ageCheckMs = Math.max(100, Math.min(AGE_CHECK_MS, renewAfter.toMillis() / 4));
    }

    /** Opens a new socket whose events go to the call. */
    public Future<RealtimeLink> connect() {
        if (early != null) {
            Future<RealtimeLink> ready = early;
            early = null;
            return ready;
        }
        return connector.connect(settings, listener);
    }

    /**
     * Starts opening the call's first socket while its stream token is still being claimed, so the
     * handshake with OpenAI is not queued behind DynamoDB. Nothing is sent on it until the claim
     * succeeds and {@link #connect} hands it over; {@link #discardEarly} closes it if the claim fails.
     */
    public void preconnect() {
        if (early == null && link == null) {
            early = connector.connect(settings, listener);
        }
    }

    /** The claim was refused, or the call needs no model now (resumed on hold): the early socket goes. */
    public void discardEarly() {
        if (early != null) {
            early.onSuccess(RealtimeLink::close);
            early = null;
        }
    }

    /** A socket is open: it is the session now; {@code ageCheck} runs periodically from the first one on. */
    public void opened(RealtimeLink socket, long socketStartedNanos, Runnable ageCheck) {
        link = socket;
        startedNanos = socketStartedNanos;
        if (ageTimer < 0) {
            ageTimer = vertx.setPeriodic(ageCheckMs, t -> ageCheck.run());
        }
    }

    @Override
    public void send(String event) {
        if (link != null) {
            link.send(event);
        }
    }

    public boolean open() {
        return link != null;
    }

    /** Old enough to be renewed at the next quiet moment. */
    public boolean due() {
        return link != null && System.nanoTime() - startedNanos >= renewAfterNanos;
    }

    /** The session dropped: true if it may be replaced once more (counted). */
    public boolean replaceAfterDrop() {
        if (replacements >= MAX_REPLACEMENTS) {
            return false;
        }
        replacements++;
        return true;
    }

    /** Closes the socket (hold, renewal); a later {@link #opened} starts the next. */
    public void close() {
        if (link != null) {
            link.close();
            link = null;
        }
    }

    /** The call ended: the socket closes and the age checks stop. */
    public void stop() {
        discardEarly();
        if (ageTimer >= 0) {
            vertx.cancelTimer(ageTimer);
            ageTimer = -1;
        }
        close();
    }
}
