package dev.switchboard.relay.hold;

import dev.switchboard.core.agent.HoldSettings;
import dev.switchboard.core.call.HoldUsage;
import dev.switchboard.relay.events.CallEvents;
import dev.switchboard.relay.realtime.RealtimeLink;
import dev.switchboard.relay.realtime.RealtimeListener;
import dev.switchboard.relay.store.CallRecorder;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * The call's waits on hold: when to go on hold (the agent asks, or the other side has been quiet
 * long enough), listening to the hold line while the Realtime session is closed, the wake when a
 * person speaks (with the audio of their first words and a socket opened at the first sound of
 * speech), recordings dismissed by {@code continue_hold}, the hold limit, and the counters on the
 * record. The session closes and reopens the Realtime session; this class decides when.
 *
 * <p>One per call, used on the call's event loop only.
 */
public final class Hold {

    private static final Logger LOG = Logger.getLogger(Hold.class);
    /** A minute of the line kept while the speech model loads (it takes about half a second). */
    static final int MAX_UNHEARD_FRAMES = 3000;

    /** What the hold asks of its call. */
    public interface Host {
        /** A person speaks: reopen the session, send it {@code preRoll} first, and tell it {@code note}. */
        void wake(List<String> preRoll, String note);

        /** Waited as long as allowed: say {@code message} then hang up, or hang up now if it is null. */
        void giveUp(String why, String message);
    }

    private final Vertx vertx;
    private final String callSid;
    private final HoldSettings settings;
    private final SpeechDetector.Model model;
    private final HoldCosts costs;
    private final CallRecorder recorder;
    private final CallEvents events;
    private final Host host;
    private final WarmRealtime warm;
    private final NoSpeechWatch quietWatch;
    /** The hold line while the speech model is still loading, listened to once it has loaded. */
    private final ArrayDeque<String> unheard = new ArrayDeque<>();
    private boolean droppingUnheard;
    /** Made the first time the call goes on hold; keeps the recordings dismissed on this call. */
    private HoldListener line;
    private boolean pending;
    private String reason;
    private boolean holding;
    private long startedNanos;
    private long limitTimer = -1;
    private int wakes;
    private boolean wokenFromHold;
    private long audioBytesAtWake;
    private boolean limitReached;
    /** Sung onsets let go during the current hold. */
    private long sungIgnored;

    public Hold(Vertx vertx, String callSid, HoldSettings settings, SpeechDetector.Model model, HoldCosts costs,
                CallRecorder recorder, CallEvents events, Host host, RealtimeListener session,
                Function<RealtimeListener, Future<RealtimeLink>> connect) {
        this.vertx = vertx;
        this.callSid = callSid;
        this.settings = settings;
        this.model = model;
        this.costs = costs;
        this.recorder = recorder;
        this.events = events;
        this.host = host;
        this.warm = new WarmRealtime(vertx, session, connect);
        this.quietWatch = settings.autoAfterSeconds() > 0 ? new NoSpeechWatch(model, settings.autoAfterSeconds() * 1000) : null;
    }

    /** Go on hold once this turn ends (not while the agent is leaving its hold-limit message). */
    public void afterThisTurn(String why) {
        if (limitReached) {
            return;
        }
        pending = true;
        reason = why;
    }

    /**
     * What woke the agent was a recording or music ({@code music}): remember it, count a false wake, and
     * go back on hold.
     */
    public void continueHold(String why, boolean music, long audioBytesToModel) {
        if (wokenFromHold && line != null) {
            line.dismissLastWake(music); // a recording will not wake the agent again; after music, sung phrases will not
            long audioMs = (audioBytesToModel - audioBytesAtWake) / 8;
            recorder.hold(callSid, HoldUsage.falseWake(audioMs));
            events.emit("hold_false_wake", CallEvents.fields().put("reason", why).put("heard", music ? "music" : "recording")
                    .put("audio_ms", audioMs));
        }
        afterThisTurn(why);
    }

    public boolean pending() {
        return pending;
    }

    /** Why the call goes (or went) on hold. */
    public String reason() {
        return reason;
    }

    /** The request to go on hold lapses (the call is not talking to a model). */
    public void cancelPending() {
        pending = false;
    }

    public boolean watchesForQuiet() {
        return quietWatch != null;
    }

    /** One frame of the other side while the agent waits for an answer: true once it is time for hold. */
    public boolean quietTooLong(byte[] mulaw) {
        if (!quietWatch.quietTooLong(mulaw)) {
            return false;
        }
        reason = "no speech for " + settings.autoAfterSeconds() + " s: music, tones or silence";
        return true;
    }

    /** The agent is talking or busy: the quiet wait starts again afterwards. */
    public void resetQuietWatch() {
        quietWatch.reset();
    }

    /**
     * The call was on hold when its stream was lost and it resumed on this relay: listen again. The
     * fingerprints of recordings dismissed before are gone with the old relay, and the hold limit
     * starts again.
     */
    public void resumeListening() {
        reason = "back on hold after the line was reconnected";
        start();
    }

    /** The session has closed: listen to the line until a person speaks or the limit passes. */
    public void start() {
        pending = false;
        wokenFromHold = false;
        holding = true;
        if (line == null) {
            line = new HoldListener(model, settings.recogniseRepeats());
        }
        line.startListening();
        unheard.clear();
        model.prepare(); // the relay's first hold loads it, in the background; the line is kept meanwhile
        startedNanos = System.nanoTime();
        limitTimer = vertx.setTimer(Math.max(1, (long) (settings.maxMinutes() * 60_000)), t -> {
            limitTimer = -1;
            onLimit();
        });
        recorder.hold(callSid, HoldUsage.oneHold());
        events.emit("hold_started", CallEvents.fields().put("reason", reason));
        LOG.infof("call %s: on hold (%s); the Realtime session is closed until a person speaks", callSid, reason);
    }

    public boolean holding() {
        return holding;
    }

    /**
     * A frame of the hold line; {@code audioBytesToModel}: the call's count so far, to measure false wakes.
     * Frames that arrive before the speech model has loaded (the first hold of a relay: about half a
     * second) are kept and listened to, in order, once it has: none is skipped.
     */
    public void frame(String payload, long audioBytesToModel) {
        if (!model.ready()) {
            if (model.failed()) {
                unheard.addLast(payload);
                wake(audioBytesToModel, "The hold line cannot be listened to on this relay (its speech detector failed to"
                        + " load): listen to the line yourself and do not call wait_on_hold again.");
                return;
            }
            if (unheard.size() == MAX_UNHEARD_FRAMES) {
                if (unheard.pollFirst() != null && !droppingUnheard) {
                    droppingUnheard = true;
                    LOG.warnf("call %s: the speech model has not loaded in a minute; the oldest hold audio is being dropped", callSid);
                }
            }
            unheard.addLast(payload);
            return;
        }
        if (unheard.isEmpty()) {
            listen(payload, audioBytesToModel);
            return;
        }
        unheard.addLast(payload);
        while (!unheard.isEmpty() && holding) { // a wake while catching up sends the frames after it to the session
            listen(unheard.pollFirst(), audioBytesToModel);
        }
    }

    private void listen(String payload, long audioBytesToModel) {
        switch (line.onHoldFrame(payload, Base64.getDecoder().decode(payload))) {
            case SPEECH_STARTING -> warm.warmUp();
            case WAKE -> wake(audioBytesToModel, "You were on hold for %d seconds. Someone has just started speaking:"
                    + " listen to them and answer. If it is only a recording or music, call continue_hold.");
            case REPEAT_IGNORED -> {
                warm.discard(); // opened at the recording's onset, before it was recognised: not needed now
                recorder.hold(callSid, HoldUsage.repeatIgnored());
                events.emit("hold_repeat_ignored", CallEvents.fields());
                LOG.infof("call %s: a recording dismissed before is playing again; staying on hold", callSid);
            }
            case SUNG_IGNORED -> sungIgnored++; // counted on the record when the hold ends: onsets can come by the hundred an hour
            case NONE -> { }
        }
    }

    /** A frame after a wake, fingerprinted as it arrives in case it turns out to be a recording. */
    public void awakeFrame(String payload) {
        if (line != null && line.capturing()) {
            line.onAwakeFrame(Base64.getDecoder().decode(payload));
        }
    }

    /** Leaves hold without a wake (the call ends or reaches its limit); returns the time held. */
    public long leave() {
        return holding ? leave(false) : 0;
    }

    /** The next Realtime socket: the one warmed for a wake if it is still good, else a new one. */
    public Future<RealtimeLink> connect() {
        return warm.take();
    }

    /** When the socket {@link #connect} last gave was opened: the session's 60-minute clock counts from then. */
    public long socketStartedNanos() {
        return warm.lastStartedNanos();
    }

    public void close() {
        if (limitTimer >= 0) {
            vertx.cancelTimer(limitTimer);
            limitTimer = -1;
        }
        warm.discard();
    }

    /** {@code note}: what the agent is told, with the seconds held in place of {@code %d}. */
    private void wake(long audioBytesToModel, String note) {
        wakes++;
        boolean warmSocket = warm.isWarm();
        long heldMs = leave(true);
        LOG.infof("call %s: speech after %d ms on hold (wake %d); reopening the Realtime session", callSid, heldMs, wakes);
        wokenFromHold = true;
        audioBytesAtWake = audioBytesToModel;
        // warm_socket: the Realtime socket was opened at the first sound of speech, so the wake skips the handshakes
        events.emit("hold_woken", CallEvents.fields().put("held_ms", heldMs).put("warm_socket", warmSocket));
        List<String> audio = new ArrayList<>(line.takePreRoll());
        audio.addAll(unheard); // the line after the wake point, when the wake came while catching up
        unheard.clear();
        host.wake(audio, note.formatted(heldMs / 1000));
    }

    /** Waited on hold as long as the profile allows: hang up, or leave the configured message and hang up. */
    private void onLimit() {
        if (!holding) {
            return;
        }
        long heldMs = leave(false);
        String why = "waited on hold for " + heldMs / 1000 + " s, the profile's limit";
        LOG.infof("call %s: %s", callSid, why);
        events.emit("hold_limit", CallEvents.fields().put("held_ms", heldMs));
        boolean message = settings.onLimit().equals("message");
        limitReached = message;
        host.giveUp(why, message ? settings.limitMessage() : null);
    }

    /** The time held, and what it would have cost with the session open, go on the record. */
    private long leave(boolean woken) {
        holding = false;
        long heldMs = (System.nanoTime() - startedNanos) / 1_000_000;
        if (limitTimer >= 0) {
            vertx.cancelTimer(limitTimer);
            limitTimer = -1;
        }
        boolean warmSocket = woken && warm.isWarm();
        recorder.hold(callSid, new HoldUsage(0, heldMs, woken ? 1 : 0, 0, 0, 0, costs.microUsdFor(heldMs), warmSocket ? 1 : 0,
                sungIgnored));
        sungIgnored = 0;
        return heldMs;
    }
}
