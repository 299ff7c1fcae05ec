package dev.switchboard.core.control;

/** Reaches the relay task that holds a call (its address is on the call record). */
public interface RelayClient {

    /** Asks the relay to have the agent speak {@code text}; returns the relay's answer. */
    CallActionResult say(String relayAddress, String callSid, String text);

    /** A note for the agent (from a supervisor): it goes into the conversation, the agent says nothing because of it. */
    CallActionResult note(String relayAddress, String callSid, String text);

    /**
     * A warm transfer of the call ended without the person taking it: {@code result} says why
     * ({@code declined: ...}, {@code busy}, {@code no-answer}, {@code voicemail}...); the agent tells the caller.
     */
    CallActionResult warmTransferEnded(String relayAddress, String callSid, String target, String result);

    /** Tells the relay Twilio's answering machine verdict ({@code machine_end_beep}, {@code human}...). */
    CallActionResult answeredBy(String relayAddress, String callSid, String answeredBy);
}
