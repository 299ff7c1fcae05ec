package dev.switchboard.relay.call;

import dev.switchboard.relay.realtime.RealtimeLink;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.function.Supplier;

/**
 * A Realtime socket opened ahead of need for a call on hold: when the hold line starts to sound like
 * speech, the socket is connected while the listener makes up its mind, so that a wake spends no time
 * on the TLS and WebSocket handshakes. An open socket costs nothing until it is sent audio or asked
 * for a response. One that is not used within {@link #TTL_MS} is closed (music sets off warm-ups
 * now and then), and the next onset opens another.
 *
 * <p>One per call, used on the call's event loop only.
 */
final class WarmRealtime {

    static final long TTL_MS = 300_000;

    private final Vertx vertx;
    private final Supplier<Future<RealtimeLink>> connect;
    private Future<RealtimeLink> warm;
    private long warmSinceNanos;
    private long expiry = -1;
    private long lastStartedNanos;
    private int warmUps;
    private int used;

    WarmRealtime(Vertx vertx, Supplier<Future<RealtimeLink>> connect) {
        this.vertx = vertx;
        this.connect = connect;
    }

    /** Opens a socket, unless one is open or opening. */
    void warmUp() {
        if (warm != null) {
            return;
        }
        warmUps++;
        warmSinceNanos = System.nanoTime();
        warm = connect.get();
        expiry = vertx.setTimer(TTL_MS, t -> {
            expiry = -1;
            discard();
        });
    }

    /** The warm socket when there is a live one (it may still be connecting), else a new connection. */
    Future<RealtimeLink> take() {
        cancelExpiry();
        Future<RealtimeLink> w = warm;
        warm = null;
        if (w == null || (w.isComplete() && (w.failed() || !w.result().isOpen()))) {
            lastStartedNanos = System.nanoTime();
            return connect.get();
        }
        used++;
        lastStartedNanos = warmSinceNanos;
        return w.recover(failure -> connect.get()); // a warm-up that failed gets one more try, now
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
        }
    }

    boolean isWarm() {
        return warm != null;
    }

    /** Sockets opened ahead of need, and how many of them a wake used. */
    int warmUps() {
        return warmUps;
    }

    int used() {
        return used;
    }

    private void cancelExpiry() {
        if (expiry >= 0) {
            vertx.cancelTimer(expiry);
            expiry = -1;
        }
    }
}
