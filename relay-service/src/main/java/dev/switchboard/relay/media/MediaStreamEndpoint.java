package dev.switchboard.relay.media;

import dev.switchboard.relay.call.CallSession;
import dev.switchboard.relay.call.CallSessionFactory;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.OnBinaryMessage;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnError;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.UserData.TypedKey;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.common.annotation.NonBlocking;
import io.vertx.core.buffer.Buffer;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * {@code /media-stream}: where Twilio's {@code <Connect><Stream>} lands. One {@link CallSession} per
 * connection, driven on the connection's event loop; nothing here blocks.
 */
@WebSocket(path = "/media-stream")
public class MediaStreamEndpoint {

    private static final Logger LOG = Logger.getLogger(MediaStreamEndpoint.class);
    private static final TypedKey<CallSession> SESSION = new TypedKey<>("switchboard.call-session");

    private final CallSessionFactory sessions;

    public MediaStreamEndpoint(CallSessionFactory sessions) {
        this.sessions = sessions;
    }

    @OnOpen
    @NonBlocking
    public void onOpen(WebSocketConnection connection) {
        connection.userData().put(SESSION, sessions.create(new ConnectionLink(connection)));
    }

    @OnTextMessage
    @NonBlocking
    public void onText(String message, WebSocketConnection connection) {
        connection.userData().get(SESSION).onTwilioText(message);
    }

    @OnBinaryMessage
    @NonBlocking
    public void onBinary(Buffer message, WebSocketConnection connection) {
        connection.userData().get(SESSION).onTwilioBinary();
    }

    @OnClose
    @NonBlocking
    public void onClose(WebSocketConnection connection) {
        CallSession session = connection.userData().get(SESSION);
        if (session != null) {
            session.onTwilioClosed();
        }
    }

    @OnError
    @NonBlocking
    public void onError(Throwable error, WebSocketConnection connection) {
        // A frame over the size limit, a broken pipe: the socket is closing; the session ends in onClose.
        LOG.warnf("media stream %s: %s", connection.id(), error.toString());
    }

    /** Adapts a websockets-next connection to what the session needs. */
    record ConnectionLink(WebSocketConnection connection) implements TwilioLink {
        private static final Consumer<Void> SENT = v -> { };
        private static final Consumer<Throwable> NOT_SENT = e -> { }; // the close handler ends the call

        @Override
        public void send(String text) {
            connection.sendText(text).subscribe().with(SENT, NOT_SENT);
        }

        @Override
        public void close(int code, String reason) {
            connection.close(new CloseReason(code, reason)).subscribe().with(v -> { }, e -> { });
        }

        @Override
        public boolean isOpen() {
            return connection.isOpen();
        }
    }
}
