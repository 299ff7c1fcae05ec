package dev.switchboard.relay.playback;

import dev.switchboard.relay.media.TwilioLink;
import dev.switchboard.relay.media.TwilioMessages;
import dev.switchboard.relay.realtime.ClientEvents;
import dev.switchboard.relay.realtime.RealtimeSender;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * What the other side hears from the relay: the agent's audio (followed by a named mark every ~100 ms
 * of it and at the end of each response, so the marks that come back say how much was heard), keypad
 * tones, and the barge-in that stops the agent where the caller stopped hearing it.
 *
 * <p>One per call, used on the call's event loop only.
 */
public final class AgentAudio {

    private final TwilioLink twilio;
    private final String streamSid;
    private final Playback playback = new Playback(System::nanoTime);
    private final Map<String, Runnable> toneMarks = new HashMap<>();
    private int toneCounter;

    public AgentAudio(TwilioLink twilio, String streamSid) {
        this.twilio = twilio;
        this.streamSid = streamSid;
    }

    /** A chunk of the agent's audio (base64 mu-law, passed through untouched) for an assistant item. */
    public void play(String itemId, String base64Audio) {
        if (!itemId.equals(playback.currentItem())) {
            markRest(); // each item's audio ends with a mark of its own
        }
        twilio.send(TwilioMessages.media(streamSid, base64Audio));
        String mark = playback.sent(itemId, TwilioMessages.decodedLength(base64Audio));
        if (mark != null) {
            twilio.send(TwilioMessages.mark(streamSid, mark));
        }
    }

    /** The rest of the agent's audio gets its mark (a response ended, or tones follow). */
    private void markRest() {
        String mark = playback.markRest();
        if (mark != null) {
            twilio.send(TwilioMessages.mark(streamSid, mark));
        }
    }

    /** Plays tones after whatever is queued; {@code whenPlayed} runs once Twilio says they have played. */
    public void playTones(byte[] mulaw, Runnable whenPlayed) {
        markRest();
        String mark = "dtmf" + (++toneCounter);
        toneMarks.put(mark, whenPlayed);
        twilio.send(TwilioMessages.media(streamSid, Base64.getEncoder().encodeToString(mulaw)));
        twilio.send(TwilioMessages.mark(streamSid, mark));
    }

    /** A mark came back: the audio before it has played. */
    public void marked(String name) {
        Runnable tonesPlayed = toneMarks.remove(name);
        if (tonesPlayed != null) {
            tonesPlayed.run();
        }
        playback.played(name);
    }

    /**
     * The caller started talking: Twilio drops what it has queued ({@code clear}) and the model forgets
     * what the caller never heard (a truncate at the milliseconds actually played, none if nothing was).
     */
    public void interrupt(RealtimeSender model) {
        if (!playback.hasUnplayedAudio()) {
            return;
        }
        twilio.send(TwilioMessages.clear(streamSid));
        String item = playback.currentItem();
        long played = Math.min(playback.playedMs(item), playback.sentMs(item));
        if (played > 0) {
            model.send(ClientEvents.truncate(item, played));
        }
        playback.flush();
    }

    public boolean unplayed() {
        return playback.hasUnplayedAudio();
    }

    /** A response ended: items fully accounted for are forgotten, so long calls do not grow. */
    public void responseDone() {
        markRest();
        playback.forgetSettledItems();
    }

    /** A new session: items of the old one cannot be truncated in it. */
    public void newSession() {
        playback.flush();
    }
}
