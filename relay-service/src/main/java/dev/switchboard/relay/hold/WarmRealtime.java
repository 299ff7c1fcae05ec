package dev.switchboard.relay.hold;

import dev.switchboard.relay.realtime.RealtimeLink;
import dev.switchboard.relay.realtime.RealtimeListener;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.function.Function;

/**
 * A Realtime socket opened ahead of need for a call on hold: when the hold line starts to sound like
 * speech, the socket is connected while the listener makes up its mind, so that a wake spends no time
 * on the TLS and WebSocket handshakes. An open socket costs nothing until it is sent audio or asked
 * for a response. One that is not used within {@link #TTL_MS} is closed (music sets off warm-ups
 * now and then), as is one whose onset turns out to be a recording dismissed before, and the next
 * onset opens another. Until a wake takes it, what the socket reports
 * (its {@code session.created}, or the server closing it) stays here: the session never sees it.
 *
 * <p>One per call, used on the call's event loop only.
 */
final class WarmRealtime {

    static final long TTL_MS = 300_000;

    private final Vertx vertx;
    private final RealtimeListener session;
    private final Function<RealtimeListener, Future<RealtimeLink>> connect;
    private Future<RealtimeLink> warm;
    private Handover handover;
    private long warmSinceNanos;
    private long expiry = -1;
    private long lastStartedNanos;

    WarmRealtime(Vertx vertx, RealtimeListener session, Function<RealtimeListener, Future<RealtimeLink>> connect) {
        this.vertx = vertx;
        this.session = session;
        this.connect = connect;
    }

    /** Opens a socket, unless one is open or opening. */
    void warmUp() {
        if (warm != null) {
            return;
        }
        warmSinceNanos = System.nanoTime();
        handover = new Handover();
        warm = connect.apply(handover);
        expiry = vertx.setTimer(TTL_MS, t -> {
            expiry = -1;
            discard();
        });
    }

    /** The warm socket when there is a live one (it may still be connecting), else a new connection. */
    Future<RealtimeLink> take() {
        cancelExpiry();
        Future<RealtimeLink> w = warm;
        Handover h = handover;
        warm = null;
        handover = null;
        if (w == null || (w.isComplete() && (w.failed() || !w.result().isOpen()))) {
            lastStartedNanos = System.nanoTime();
            return connect.apply(session);
        }
        h.taken = true;
        lastStartedNanos = warmSinceNanos;
        return w.recover(failure -> connect.apply(session)); // a warm-up that failed gets one more try, now
    }

    /** When the socket {@link #take()} last gave was opened: the Realtime session's clock started then. */
    long lastStartedNanos() {
        return lastStartedNanos;
    }

    /** Closes the warm socket, if any (the call ended, or it went unused): quietly, as a socket we closed. */
    void discard() {
        cancelExpiry();
        if (warm != null) {
            warm.onSuccess(RealtimeLink::close);
            warm = null;
            handover = null;
        }
    }

    boolean isWarm() {
        return warm != null;
    }

    private void cancelExpiry() {
        if (expiry >= 0) {
            vertx.cancelTimer(expiry);
            expiry = -1;
        }
    }

    /** The warm socket's listener: silent until a wake takes the socket, then the session's own. */
    private final class Handover implements RealtimeListener {
        boolean taken;

        @Override
        public void onRealtimeText(String json) {
            if (taken) {
                session.onRealtimeText(json);
            }
        }

        @Override
        public void onRealtimeClosed(int code, String reason) {
            if (taken) {
                session.onRealtimeClosed(code, reason);
            } else if (handover == this) { // the server closed it before any wake: the next onset opens another
                cancelExpiry();
                warm = null;
                handover = null;
            }
        }
    }
}
