package dev.switchboard.core.twilio;

/** Acts on a live phone call through Twilio's REST API, from any process that knows its CallSid. */
public interface CallControl {

    /** Hangs up. Returns false if the call was already over (Twilio error 20404), which is not an error. */
    boolean hangUp(String callSid);

    /**
     * Places a call that runs {@code twiml} when answered, with status callbacks for every stage and,
     * when {@code amdCallback} is given, asynchronous answering-machine detection ({@code waitForBeep}: the
     * verdict waits for the end of the greeting, so a message can follow the beep). Returns the CallSid.
     */
    String place(String to, String from, String twiml, String statusCallback, java.util.Optional<String> amdCallback,
                 boolean waitForBeep);

    /** Replaces the call's TwiML (a transfer with {@code <Dial>}, say): Twilio stops the media stream. */
    boolean redirect(String callSid, String twiml);
}
