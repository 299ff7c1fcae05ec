package dev.switchboard.relay.live;

/**
 * Somewhere live call events go: the API Gateway WebSocket subscribers on AWS, the console's socket
 * locally. Called on the fan-out's own thread, never on an event loop, one event at a time.
 */
public interface LiveEventSink {

    /** One event of {@code callSid}, as the JSON every subscriber gets. May block briefly; must not throw. */
    void accept(String callSid, String json);
}
