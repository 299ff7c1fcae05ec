package dev.switchboard.relay.media;

/** The Twilio side of a call as the session sees it: send a text frame, or close the stream. */
public interface TwilioLink {

    void send(String text);

    void close(int code, String reason);

    boolean isOpen();
}
