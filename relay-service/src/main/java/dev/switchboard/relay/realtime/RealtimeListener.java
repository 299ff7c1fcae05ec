package dev.switchboard.relay.realtime;

/** What a Realtime socket reports to its call session, always on the session's event loop. */
public interface RealtimeListener {

    void onRealtimeText(String json);

    /** The socket closed without the session asking: code and reason as the server gave them. */
    void onRealtimeClosed(int code, String reason);
}
