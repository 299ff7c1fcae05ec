package dev.switchboard.core.agent;

/**
 * How an agent waits on hold (seed 004). While on hold the Realtime session is closed and a local
 * speech detector listens; these settings say when hold starts by itself and when waiting stops.
 *
 * @param autoAfterSeconds  enter hold without the model's {@code wait_on_hold} once the other side has
 *                          sent only music, tones or silence (no speech) for this long while the agent
 *                          waits for an answer; 0 turns automatic hold off
 * @param maxMinutes        the longest the agent waits on hold before giving up (fractions allowed: 0.5 is 30 s)
 * @param onLimit           what giving up means: {@code hangup}, or {@code message} (say {@code limitMessage}
 *                          when a person can hear it is pointless on a hold line, so the message is
 *                          spoken into the line and then the call ends)
 * @param limitMessage      the words left on the line when {@code onLimit} is {@code message}
 * @param recogniseRepeats  remember announcements the agent dismissed with {@code continue_hold} and do
 *                          not wake for the same recording again
 */
public record HoldSettings(long autoAfterSeconds, double maxMinutes, String onLimit, String limitMessage, Boolean recogniseRepeats) {

    public static final HoldSettings DEFAULT = new HoldSettings(0, 60, "hangup", null, true);

    public HoldSettings {
        if (autoAfterSeconds < 0 || autoAfterSeconds > 600) {
            throw new IllegalArgumentException("hold autoAfterSeconds must be 0 (off) to 600");
        }
        maxMinutes = maxMinutes <= 0 ? 60 : maxMinutes;
        if (maxMinutes > 240) {
            throw new IllegalArgumentException("hold maxMinutes must be at most 240 (Twilio ends calls after 4 hours)");
        }
        onLimit = onLimit == null || onLimit.isBlank() ? "hangup" : onLimit;
        if (!onLimit.equals("hangup") && !onLimit.equals("message")) {
            throw new IllegalArgumentException("hold onLimit must be 'hangup' or 'message', got '" + onLimit + "'");
        }
        limitMessage = limitMessage == null || limitMessage.isBlank()
                ? "Sorry, we could not wait any longer. We will call back later. Goodbye." : limitMessage;
        recogniseRepeats = recogniseRepeats == null || recogniseRepeats;
    }
}
