package dev.switchboard.local.console;

import dev.switchboard.relay.live.LiveEventSink;
import io.quarkus.websockets.next.OpenConnections;
import io.quarkus.websockets.next.UserData.TypedKey;
import io.quarkus.websockets.next.WebSocketConnection;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/** Live call events (from the relay's fan-out thread) to every console connected to {@code /console/live}. */
@Singleton
public class ConsoleBroadcast implements LiveEventSink {

    private static final Logger LOG = Logger.getLogger(ConsoleBroadcast.class);
    /** Set on a console connection once it showed the local token from this machine. */
    static final TypedKey<Boolean> ALLOWED = TypedKey.forBoolean("console.allowed");

    private final OpenConnections connections;

    public ConsoleBroadcast(OpenConnections connections) {
        this.connections = connections;
    }

    @Override
    public void accept(String callSid, String json) {
        broadcast(json);
    }

    /** Sends {@code json} to every allowed console; a slow or closed one never holds up the others. */
    public void broadcast(String json) {
        for (WebSocketConnection c : connections) {
            if (Boolean.TRUE.equals(c.userData().get(ALLOWED)) && c.isOpen()) {
                c.sendText(json).subscribe().with(x -> { }, e -> LOG.debugf("console: send failed: %s", e.toString()));
            }
        }
    }
}
