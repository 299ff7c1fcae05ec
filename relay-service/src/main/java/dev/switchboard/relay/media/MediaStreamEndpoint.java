package dev.switchboard.relay.media;

import dev.switchboard.relay.call.CallSession;
import dev.switchboard.relay.call.CallSessionFactory;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/**
 * {@code /media-stream}: where Twilio's {@code <Connect><Stream>} lands. One {@link CallSession} per
 * connection, driven on the connection's event loop; nothing here blocks.
 *
 * <p>A plain Vert.x WebSocket, not a Quarkus websockets-next endpoint: a call carries 50 frames a second
 * each way, and websockets-next wrapped every one in a context capture, a request-context check and a
 * Mutiny subscription per send, about a quarter of the relay's event-loop time under load (a profile of
 * 200 calls). The socket's handlers run on its event loop, as the endpoint's did.
 */
@Singleton
public class MediaStreamEndpoint {

    private static final Logger LOG = Logger.getLogger(MediaStreamEndpoint.class);
    public static final String PATH = "/media-stream";

    /**
     * The factory is looked up at the first stream, not here: routes are registered before the server
     * listens, and the factory takes this relay's address, whose port is only known then (a random one
     * in tests).
     */
    void register(@Observes Router router, Provider<CallSessionFactory> sessions) {
        router.route(HttpMethod.GET, PATH).handler(ctx -> upgrade(ctx, sessions));
    }

    private static void upgrade(RoutingContext ctx, Provider<CallSessionFactory> sessions) {
        if (!"websocket".equalsIgnoreCase(ctx.request().getHeader("Upgrade"))) {
            ctx.response().setStatusCode(400).end("a Twilio media stream: expected a WebSocket upgrade");
            return;
        }
        ctx.request().toWebSocket().onSuccess(ws -> attach(ws, sessions.get()))
                .onFailure(e -> LOG.warnf("media stream upgrade refused: %s", e.getMessage()));
    }

    private static void attach(ServerWebSocket ws, CallSessionFactory sessions) {
        CallSession session = sessions.create(new SocketLink(ws));
        ws.textMessageHandler(session::onTwilioText);
        ws.binaryMessageHandler(b -> session.onTwilioBinary());
        // A frame over the size limit, a broken pipe: the socket is closing; the session ends in the close handler.
        ws.exceptionHandler(e -> LOG.warnf("media stream from %s: %s", ws.remoteAddress(), e.toString()));
        ws.closeHandler(v -> session.onTwilioClosed());
    }

    /** What the session needs of the socket. Writes carry no completion handler: a failed write closes the socket. */
    record SocketLink(ServerWebSocket ws) implements TwilioLink {

        @Override
        public void send(String text) {
            if (!ws.isClosed()) {
                ws.writeTextMessage(text, null);
            }
        }

        @Override
        public void close(int code, String reason) {
            if (!ws.isClosed()) {
                ws.close((short) code, reason);
            }
        }

        @Override
        public boolean isOpen() {
            return !ws.isClosed();
        }
    }
}
