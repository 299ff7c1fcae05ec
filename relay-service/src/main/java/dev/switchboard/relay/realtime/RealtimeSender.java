package dev.switchboard.relay.realtime;

/** Sends a client event on the call's current Realtime session; collaborators never hold the socket itself. */
@FunctionalInterface
public interface RealtimeSender {

    void send(String event);
}
