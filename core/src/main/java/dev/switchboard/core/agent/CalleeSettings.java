package dev.switchboard.core.agent;

/**
 * On calls the agent places (and does not speak first on): how it meets whatever answers before a
 * person does. Until it knows who answered (Twilio's answering-machine verdict, or the first words it
 * hears), the agent answers nothing on its own: a voicemail greeting, a phone menu or a call screener is
 * never talked over.
 *
 * @param listenFirst   the gate above; {@code false} lets the model answer the first words at once
 * @param screener      a call-screening assistant ("state your name and why you are calling"):
 *                      {@code answer} (the agent says who it is and why, then waits for the person) or
 *                      {@code hangup} (the outcome is {@code screened})
 * @param screenerReply the words said to a screener; empty: the model says who it is and why, in one sentence
 * @param menuSettleMs  a menu prompt is over once the line has been quiet this long; then the agent chooses
 * @param menuRepeats   a menu prompt heard this many times over (the key chosen did not move the call on):
 *                      the agent is told to try another way at the first repeat, and gives up after this many
 */
public record CalleeSettings(Boolean listenFirst, String screener, String screenerReply, long menuSettleMs, int menuRepeats) {

    public static final CalleeSettings DEFAULT = new CalleeSettings(null, null, null, 0, 0);

    public CalleeSettings {
        listenFirst = listenFirst == null || listenFirst;
        screener = screener == null || screener.isBlank() ? "answer" : screener;
        if (!screener.equals("answer") && !screener.equals("hangup")) {
            throw new IllegalArgumentException("callee.screener must be 'answer' or 'hangup', got '" + screener + "'");
        }
        screenerReply = screenerReply == null ? "" : screenerReply.trim();
        menuSettleMs = menuSettleMs <= 0 ? 1200 : Math.min(menuSettleMs, 10_000);
        menuRepeats = menuRepeats <= 0 ? 3 : Math.min(menuRepeats, 10);
    }
}
