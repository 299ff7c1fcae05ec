package dev.switchboard.relay.tool;

import dev.switchboard.core.agent.TransferTarget;
import dev.switchboard.relay.keypad.DigitSpec;

/**
 * What tools may do to their call. Both actions wait for the agent's next words (the handoff
 * sentence, the goodbye) to finish playing before they act.
 */
public interface CallControls {

    void transferAfterSpeaking(String targetName, TransferTarget target, String reason, String summary);

    void hangUpAfterSpeaking(String reason);

    /** Calls a warm transfer's target while the caller stays with the agent; false if one is already under way. */
    boolean startWarmTransfer(String targetName, TransferTarget target, String reason, String summary);

    /** On a warm transfer's briefing call: whether the person takes the caller. */
    void answerTransfer(boolean accepted, String reason);

    /**
     * Presses {@code keys} on the other side's phone: plays their tones after whatever is queued, keeps
     * them on the call's path through a phone menu; {@code whenPlayed} runs once they have played.
     */
    void pressKeys(String keys, byte[] tones, Runnable whenPlayed);

    /** Starts collecting a checked number from the caller, by keypad or voice. */
    void collect(DigitSpec spec);

    /** Goes on hold once this turn ends: the Realtime session closes until a person speaks. */
    void holdAfterThisTurn(String reason);

    /** What woke the agent from hold was a recording or music ({@code music}): back on hold after this turn, and remember it. */
    void continueHold(String reason, boolean music);

    /** The agent says these words, now or once its current response ends (a tool's filler, say). */
    void sayNow(String text);

    /** The flow step in force is done: move to the next one. */
    void completeStep(String result);
}
