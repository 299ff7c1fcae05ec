package dev.switchboard.relay.realtime;

/** An open Realtime session socket. */
public interface RealtimeLink {

    void send(String json);

    void close();

    boolean isOpen();
}
