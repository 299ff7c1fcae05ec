package dev.switchboard.core.call;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Durable call state, shared by every Lambda and relay task. Every write is conditional: it either
 * applies an allowed change or does nothing, so retried and out-of-order callers are harmless.
 */
public interface CallStore {

    /** Creates the record; false if a record for this CallSid already exists (a retried webhook). */
    boolean create(NewCall call, Instant now);

    Optional<CallRecord> find(String callSid);

    /**
     * Replaces the stream token of an existing, unfinished call (a retried voice webhook must hand out
     * a token that works). False if the call is unknown or over.
     */
    boolean reissueStreamToken(String callSid, String tokenHash, Instant expiresAt, Instant now);

    /** Consumes the one-time stream token: constant-time match, unexpired, unused; records the stream and relay. */
    ClaimResult claimStream(StreamClaim claim, Instant now);

    /**
     * The stream that held the call ended without an outcome (its relay died or was drained): a new
     * token for a new stream, if the record is still at {@code version}, has no outcome and had fewer
     * than {@code maxResumes} resumptions. Marks the call {@code resuming}. False otherwise.
     */
    boolean resumeStream(String callSid, long version, String tokenHash, Instant expiresAt, int maxResumes, Instant now);

    /** As {@link #resumeStream}, by the relay holding {@code streamSid}, which hands the call over (a drain). */
    boolean handOverStream(String callSid, String streamSid, String tokenHash, Instant expiresAt, int maxResumes, Instant now);

    /** The relay holding {@code streamSid} has restored a resumed call: it is no longer {@code resuming}. */
    void resumed(String callSid, String streamSid, Instant now);

    /** Whether the call is on hold, so a relay that takes it over goes back to listening. */
    void saveHolding(String callSid, String streamSid, boolean holding, Instant now);

    /** Moves the status forward only; details (duration, answered/ended times) ride along. False if nothing changed. */
    boolean advanceStatus(String callSid, CallStatus status, Optional<Long> durationSeconds, Instant eventTime, Instant now);

    /** Records the first time a stream event ({@code stream-started}, ...) was reported. False if the call is unknown. */
    boolean recordStreamEvent(String callSid, String event, Instant eventTime, Instant now);

    void appendTranscript(String callSid, TranscriptLine line, Instant now);

    void addUsage(String callSid, Usage usage, Instant now);

    /** Adds to the call's hold counters. */
    void addHoldUsage(String callSid, HoldUsage hold, Instant now);

    /**
     * Records Twilio's answering machine verdict; returns the record as it is after the write (so the
     * caller sees the relay that holds the stream, if one does), empty if the call is unknown.
     */
    Optional<CallRecord> saveAnsweredBy(String callSid, String answeredBy, Instant now);

    /** Saves the conversation to the call's {@code CONTEXT} item, replacing the previous one. */
    void saveConversation(String callSid, SavedConversation conversation, Instant now);

    /** The call's saved conversation; {@link SavedConversation#NONE} if none was saved. */
    SavedConversation savedConversation(String callSid);

    /** Sets the outcome once: the first path that ends a call decides it. False if it was already set. */
    boolean finish(String callSid, Outcome outcome, Instant now);

    /**
     * {@link #finish} by the relay that holds one stream of the call: applies only while that stream is
     * still the call's current one, so a relay ending an old stream late (after a failed transfer
     * brought the caller back on a new stream) cannot end the call.
     */
    boolean finishStream(String callSid, String streamSid, Outcome outcome, Instant now);

    /**
     * Records a hand-off and its outcome ({@code transferred}) together, before Twilio is asked to dial,
     * so the stream's {@code stop} that follows is never taken for a hang-up. False if the call already
     * has an outcome.
     */
    boolean startTransfer(String callSid, Transfer transfer, Instant now);

    /** Undoes {@link #startTransfer} when Twilio refused the dial: the call goes on with the agent. */
    void cancelTransfer(String callSid, String why, Instant now);

    /**
     * The person did not answer: the call comes back to the agent with a new stream token. Clears the
     * outcome and notes the dial result. False if the call is not in a transfer.
     */
    boolean returnFromTransfer(String callSid, String dialResult, String tokenHash, Instant tokenExpiresAt, Instant now);

    /** A setup webhook's answer for this call: its variables, and its instructions as the call's task. */
    void saveSetup(String callSid, Map<String, String> variables, String instructions, Instant now);

    /** The agent's task for this call (an outbound request's instructions and context). */
    void saveTask(String callSid, String task, Instant now);

    /** Records the flow step in force, so a call picked up elsewhere resumes there. */
    void saveStep(String callSid, String step, Instant now);

    /** The keypad item of a call; empty if no key was pressed yet. */
    KeypadState keypad(String callSid);

    /** Saves the open keypad buffer and, when an entry completed, appends it (capped to keep the item small). */
    void saveKeypad(String callSid, String buffer, java.util.Optional<KeypadEntry> completed, Instant now);

    /** The person answered: notes the dial result on the transfer. */
    void completeTransfer(String callSid, String dialResult, Instant now);
}
