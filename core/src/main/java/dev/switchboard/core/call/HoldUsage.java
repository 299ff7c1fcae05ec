package dev.switchboard.core.call;

/**
 * What waiting on hold cost a call, and what it saved. Counters, summed over every hold of the call
 * (stored as the record's {@code hold} map; field names are the stored keys).
 *
 * @param holds            times the call went on hold
 * @param heldMillis       time spent on hold with the Realtime session closed
 * @param wakes            times the local speech detector reopened the session
 * @param falseWakes       wakes the agent dismissed with {@code continue_hold} (a recording, music)
 * @param repeatsIgnored   announcements recognised as a repeat of a dismissed one: no wake, no cost
 * @param wakeAudioMillis  audio sent to OpenAI during false wakes: what the recordings cost
 * @param avoidedMicroUsd  estimated cost, in millionths of a dollar, of the hold audio had the session
 *                         stayed open (input audio tokens at the configured price; responses to
 *                         music not counted, so it is a floor)
 * @param warmWakes        wakes that found the Realtime socket already open (opened at the first sound
 *                         of speech), so the woken session skipped the connection handshakes
 * @param sungIgnored      onsets not woken for because they sounded sung, on a line whose music the
 *                         agent had dismissed: the listener's own decisions, counted so none is silent
 */
public record HoldUsage(long holds, long heldMillis, long wakes, long falseWakes, long repeatsIgnored,
                        long wakeAudioMillis, long avoidedMicroUsd, long warmWakes, long sungIgnored) {

    public static final HoldUsage ZERO = new HoldUsage(0, 0, 0, 0, 0, 0, 0, 0, 0);

    public static HoldUsage heldFor(long millis, long avoidedMicroUsd) {
        return new HoldUsage(0, millis, 0, 0, 0, 0, avoidedMicroUsd, 0, 0);
    }

    public static HoldUsage oneHold() {
        return new HoldUsage(1, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    public static HoldUsage oneWake() {
        return new HoldUsage(0, 0, 1, 0, 0, 0, 0, 0, 0);
    }

    public static HoldUsage falseWake(long audioMillis) {
        return new HoldUsage(0, 0, 0, 1, 0, audioMillis, 0, 0, 0);
    }

    public static HoldUsage repeatIgnored() {
        return new HoldUsage(0, 0, 0, 0, 1, 0, 0, 0, 0);
    }

    public static HoldUsage warmWake() {
        return new HoldUsage(0, 0, 0, 0, 0, 0, 0, 1, 0);
    }

    public static HoldUsage sungIgnored(long onsets) {
        return new HoldUsage(0, 0, 0, 0, 0, 0, 0, 0, onsets);
    }

    public double avoidedUsd() {
        return avoidedMicroUsd / 1_000_000.0;
    }
}
