package dev.switchboard.relay.realtime;

import dev.switchboard.core.config.Settings;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Opens Realtime sessions over Vert.x's WebSocket client. Used directly (not through Quarkus'
 * connector) so that the socket is created on, and reports on, the event loop of the call's Twilio
 * socket: both sockets of a call then share one thread and the session needs no locks.
 */
public final class RealtimeConnector {

    private final Vertx vertx;
    private final WebSocketClient client;
    private final long timeoutMs;
    private final AtomicInteger open = new AtomicInteger();

    /** {@code timeout}: the longest a whole connection (TCP, TLS, WebSocket handshake) may take. */
    public RealtimeConnector(Vertx vertx, Duration timeout) {
        this.vertx = vertx;
        this.timeoutMs = timeout.toMillis();
        this.client = vertx.createWebSocketClient(new WebSocketClientOptions()
                .setMaxFrameSize(1 << 20)
                .setMaxMessageSize(16 << 20)
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()))
                .setMaxConnections(100_000));
    }

    /** Number of Realtime sockets open right now, across all calls. */
    public int openSockets() {
        return open.get();
    }

    /** Connects with the settings' URL and credentials; call from the session's context. */
    public Future<RealtimeLink> connect(Settings settings, RealtimeListener listener) {
        Context context = Vertx.currentContext();
        WebSocketConnectOptions options = new WebSocketConnectOptions().setAbsoluteURI(settings.openAiRealtimeUrl().toString());
        if (settings.realtimeUsesApiKeyHeader()) {
            options.addHeader("api-key", settings.openAiApiKey());
        } else {
            options.addHeader("Authorization", "Bearer " + settings.openAiApiKey());
        }
        // the client's own timeout covers the TCP connect only: an endpoint that accepts and never
        // finishes the handshake must not hold a caller in silence
        Promise<RealtimeLink> bounded = Promise.promise();
        long timer = vertx.setTimer(timeoutMs, t -> bounded.tryFail(
                new TimeoutException("no Realtime session within " + timeoutMs + " ms")));
        open(options, context, listener).onComplete(ar -> {
            vertx.cancelTimer(timer);
            if (ar.succeeded() && !bounded.tryComplete(ar.result())) {
                ar.result().close(); // too late: the call has moved on
            } else if (ar.failed()) {
                bounded.tryFail(ar.cause());
            }
        });
        return bounded.future();
    }

    private Future<RealtimeLink> open(WebSocketConnectOptions options, Context context, RealtimeListener listener) {
        return client.connect(options).map(ws -> {
            open.incrementAndGet();
            VertxRealtimeLink link = new VertxRealtimeLink(ws, open);
            ws.textMessageHandler(text -> onContext(context, () -> listener.onRealtimeText(text)));
            ws.exceptionHandler(e -> { }); // the close handler reports the end
            ws.closeHandler(v -> {
                link.markClosed();
                if (!link.closedByUs()) {
                    Short code = ws.closeStatusCode();
                    String reason = ws.closeReason();
                    onContext(context, () -> listener.onRealtimeClosed(code == null ? 1006 : code, reason == null ? "" : reason));
                }
            });
            return link;
        });
    }

    private static void onContext(Context context, Runnable r) {
        if (context == null || Vertx.currentContext() == context) {
            r.run();
        } else {
            context.runOnContext(v -> r.run());
        }
    }

    static final class VertxRealtimeLink implements RealtimeLink {
        private final WebSocket ws;
        private final AtomicInteger open;
        private boolean closedByUs;
        private boolean closed;

        VertxRealtimeLink(WebSocket ws, AtomicInteger open) {
            this.ws = ws;
            this.open = open;
        }

        @Override
        public void send(String json) {
            if (!closed) {
                ws.writeTextMessage(json, null); // no completion future per message: a failed write closes the socket
            }
        }

        @Override
        public void close() {
            if (!closed) {
                closedByUs = true;
                ws.close((short) 1000, "call ended");
            }
        }

        @Override
        public boolean isOpen() {
            return !closed;
        }

        boolean closedByUs() {
            return closedByUs;
        }

        synchronized void markClosed() {
            if (!closed) {
                closed = true;
                open.decrementAndGet();
            }
        }
    }
}
