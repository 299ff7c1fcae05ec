package dev.switchboard.relay.hold;

import dev.switchboard.relay.audio.MuLawCodec;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;

/**
 * Listens to a hold line while the agent's Realtime session is closed, one 20 ms frame at a time, and
 * says when to wake the agent: a person speaking (Silero VAD), but not a recorded announcement the
 * agent already dismissed (acoustic fingerprint). Keeps the audio from the first sign of speech (at least 3 s) so the woken session
 * hears the first words whole. After a wake it keeps fingerprinting for up to {@link #MAX_SEGMENT_FRAMES}
 * so that, if the agent calls {@code continue_hold}, the recording is remembered.
 *
 * <p>One per call, used on the call's event loop only. CPU per held call: one Silero inference per 32 ms
 * and one 256-point FFT per 20 ms (see docs/BENCHMARKS.md).
 */
public final class HoldListener {

    /**
     * {@code SPEECH_STARTING}: the line has sounded like speech for {@link #WARM_UP_CHUNKS} chunks, a wake may
     * follow (the session opens its Realtime socket now, so that a wake finds it connected), unless the onset
     * already matches a dismissed recording. {@code SUNG_IGNORED}: a run of speech reached the wake bar but
     * sounded sung, on a line whose music the agent dismissed (once per run).
     */
    public enum Decision { NONE, SPEECH_STARTING, WAKE, REPEAT_IGNORED, SUNG_IGNORED }

    /**
     * At least 3 s of 20 ms frames are sent to the new session when a person speaks: over music a wake
     * can take nearly that long, and the first words must reach the model even when the detector only
     * became sure at the second.
     */
    public static final int PRE_ROLL_FRAMES = 150;
    /**
     * Consecutive 32 ms Silero chunks with speech probability over {@link #SPEECH_PROBABILITY} that count
     * as a person starting to speak (384 ms). Fewer let instrumental hold music through now and then: with 10,
     * and the detector starting afresh between sounds, music woke the agent about 8 times an hour
     * (docs/BENCHMARKS.md).
     */
    public static final int WAKE_CHUNKS = 12;
    /** Consecutive speech chunks (96 ms) after which a wake is likely enough to open a socket for it. */
    public static final int WARM_UP_CHUNKS = 3;
    static final float SPEECH_PROBABILITY = 0.5f;
    /** Over this a chunk is evidence that speech may be starting: the pre-roll reaches back to the first such chunk. */
    static final float EVIDENCE_PROBABILITY = 0.15f;
    /** Chunks under {@link #EVIDENCE_PROBABILITY} that end a stretch of evidence (320 ms: longer than a pause between words). */
    static final int EVIDENCE_GAP_CHUNKS = 10;
    /** Chunks with no speech run after which the detector's state is reset (0.5 s), so it never drifts over a long hold. */
    static final int RESET_CHUNKS = 16;
    /** The longest pre-roll kept (8 s of 20 ms frames): from the first sign of speech, however late the wake. */
    public static final int MAX_PRE_ROLL_FRAMES = 400;
    /** Kept before the first sign of speech (500 ms), so the first syllable is whole. */
    static final int PRE_ROLL_MARGIN_FRAMES = 25;
    /** From the first speech chunk to the frame that decides: 12 chunks of 32 ms, in 20 ms frames, plus Silero's lag. */
    static final int ONSET_LAG_FRAMES = 20;
    /** Frames after an onset compared with the dismissed recordings before deciding (300 ms). */
    public static final int VERIFY_FRAMES = 15;
    /** At or under this share of differing bits, the onset is a repeat of a dismissed recording. */
    static final double REPEAT_BER = 0.30;
    /** While a repeat plays, the running match over this many frames must stay under {@link #LOST_BER}. */
    static final int TRACK_FRAMES = 25;
    static final double LOST_BER = 0.40;
    static final int RING = 128;
    /** A recording that woke the agent is fingerprinted whole, up to a minute, so a long announcement is learnt once. */
    public static final int MAX_SEGMENT_FRAMES = 3000;
    /** The newest frames left out when looking for a run in the line's past (5 s): the run itself and its lead-in. */
    static final int LINE_RECENT_FRAMES = 250;

    /**
     * Chunks without speech (1.5 s) that end a dismissed recording's tail: pauses between the sentences
     * of an announcement are shorter, and a person rarely starts talking within that of a recording.
     */
    static final int TAIL_QUIET_CHUNKS = 47;

    /** TAIL: a recording was just dismissed and may still be playing; it is learnt to its end, not woken for. */
    private enum Mode { LISTENING, VERIFYING, SUPPRESSED, TAIL }

    private final SpeechDetector.Model model;
    private final boolean recogniseRepeats;
    private final AudioFingerprint fingerprint = new AudioFingerprint();
    private final DismissedRecordings dismissed = new DismissedRecordings();
    private final LineMemory line = new LineMemory();
    private final SungOnsets sung = new SungOnsets();
    private final float[] samples = new float[160];
    private final int[] ring = new int[RING];
    private final ArrayDeque<String> preRoll = new ArrayDeque<>();
    private SpeechDetector detector;
    private Mode mode = Mode.LISTENING;
    private long frame;
    private int speechChunks;
    private long chunksSeen;
    private int chunksSinceReset;
    /** Frame where the current stretch of speech evidence began; -1 if none. */
    private long evidenceFrame = -1;
    private int chunksWithoutEvidence;
    /** A dismissed recording is still being learnt (see {@link Mode#TAIL}). */
    private boolean tailing;
    private int quietChunks;
    private long onsetFrame;
    // tracking a repeat as it plays
    private int[] trackedSegment;
    private int trackedOffset;
    private final int[] trackErrors = new int[TRACK_FRAMES];
    private int trackedFrames;
    private int trackErrorSum;
    // the segment that woke the agent, kept until it is dismissed or full
    private int[] capture;
    private int captured;

    public HoldListener(SpeechDetector.Model model, boolean recogniseRepeats) {
        this.model = model;
        this.recogniseRepeats = recogniseRepeats;
    }

    /**
     * The call goes on hold: forget the audio of before, listen afresh. Dismissed recordings are kept;
     * one dismissed just now goes on being learnt until it ends.
     */
    public void startListening() {
        detector = new SpeechDetector(model);
        preRoll.clear();
        mode = tailing ? Mode.TAIL : Mode.LISTENING;
        speechChunks = 0;
        chunksSeen = 0;
        chunksSinceReset = 0;
        evidenceFrame = -1;
        if (!tailing) {
            capture = null;
        }
    }

    /** One frame of the hold line (mu-law, base64 as Twilio sent it, and decoded). */
    public Decision onHoldFrame(String payload, byte[] mulaw) {
        if (preRoll.size() == MAX_PRE_ROLL_FRAMES) {
            preRoll.pollFirst();
        }
        preRoll.addLast(payload);
        int n = decode(mulaw);
        int fp = fingerprint.next(samples, n);
        ring[(int) (frame % RING)] = fp;
        line.add(fp, samples, n);
        frame++;
        sung.add(samples, n);
        float probability = detector.accept(samples, n);
        boolean newChunk = detector.chunks() != chunksSeen;
        chunksSeen = detector.chunks();
        switch (mode) {
            case LISTENING -> {
                if (newChunk) {
                    noteEvidence(probability);
                    speechChunks = probability > SPEECH_PROBABILITY ? speechChunks + 1 : 0;
                    sung.onChunk(speechChunks > 0);
                    resetWhenIdle();
                    if (speechChunks == WARM_UP_CHUNKS && !soundsLikeADismissedRecording()) {
                        return Decision.SPEECH_STARTING;
                    }
                }
                if (speechChunks >= WAKE_CHUNKS && newChunk) {
                    SungOnsets.Verdict verdict = sung.atWakeBar(speechChunks - WAKE_CHUNKS);
                    if (verdict == SungOnsets.Verdict.SUNG || verdict == SungOnsets.Verdict.STILL_SUNG) {
                        speechChunks = 0; // the song goes on; a person's speech scores low and wakes the agent
                        return verdict == SungOnsets.Verdict.SUNG ? Decision.SUNG_IGNORED : Decision.NONE; // one per run
                    }
                    if (verdict == SungOnsets.Verdict.WAIT) {
                        return Decision.NONE;
                    }
                    onsetFrame = frame - ONSET_LAG_FRAMES - (speechChunks - WAKE_CHUNKS) * 32L / 20;
                    if (!recogniseRepeats || (dismissed.isEmpty() && !sung.onMusicLine())) {
                        return wake();
                    }
                    mode = Mode.VERIFYING;
                }
            }
            case VERIFYING -> {
                if (frame - onsetFrame >= VERIFY_FRAMES) {
                    int frames = (int) (frame - onsetFrame);
                    var match = dismissed.best(lastFrames(frames), 0, frames);
                    if (match.isPresent() && match.get().bitErrorRate() <= REPEAT_BER) {
                        track(match.get(), frames);
                        return Decision.REPEAT_IGNORED;
                    }
                    if (playedBefore(frames)) {
                        resumeListening(); // not followed: a person may start over the replay, and is judged at the next run
                        return Decision.REPEAT_IGNORED;
                    }
                    return wake();
                }
            }
            case SUPPRESSED -> followRepeat(fp);
            case TAIL -> followTail(fp, newChunk, probability);
        }
        return Decision.NONE;
    }

    /** The agent is awake: keeps fingerprinting what woke it, in case it is dismissed. */
    public void onAwakeFrame(byte[] mulaw) {
        if (capture == null || captured == capture.length) {
            return;
        }
        int n = decode(mulaw);
        int fp = fingerprint.next(samples, n);
        ring[(int) (frame % RING)] = fp;
        line.add(fp, samples, n);
        frame++;
        capture[captured++] = fp;
    }

    public boolean capturing() {
        return capture != null && captured < capture.length;
    }

    /**
     * {@code continue_hold}: what woke the agent was a recording; do not wake for it again. The agent
     * often knows after the first sentence; the rest of the recording is learnt as it plays on (until
     * 1.5 s without speech or a minute in all), so neither its later sentences nor its next play wake it.
     * Music ({@code music}, as the agent heard it) is neither remembered nor followed to its end: a song
     * can run for minutes with no pause, a person who picks up as it stops must be heard at once, and a
     * few seconds of a song did not recognise its next play (docs/BENCHMARKS.md) while they pushed the
     * announcements out of the {@link DismissedRecordings}. From then on, onsets that sound sung do not
     * wake the agent on this call.
     */
    public void dismissLastWake(boolean music) {
        if (music) {
            sung.musicDismissed();
            capture = null; // a snippet of a song is not recognised on its next play, and would push announcements out
            return;
        }
        if (capture != null) {
            dismissed.add(capture, captured);
            tailing = captured < capture.length;
            if (!tailing) {
                capture = null;
            }
        }
    }

    /** The rest of a dismissed recording: fingerprinted onto its segment, never a wake. */
    private void followTail(int fp, boolean newChunk, float probability) {
        capture[captured++] = fp;
        if (newChunk) {
            quietChunks = probability > SPEECH_PROBABILITY ? 0 : quietChunks + 1;
        }
        if (quietChunks >= TAIL_QUIET_CHUNKS || captured == capture.length) {
            dismissed.replaceNewest(capture, captured);
            capture = null;
            tailing = false;
            quietChunks = 0;
            mode = Mode.LISTENING;
            speechChunks = 0;
            detector.reset();
        }
    }

    public int dismissedRecordings() {
        return dismissed.size();
    }

    /** Onsets not woken for because they sounded sung on a line whose vocal music the agent dismissed. */
    public int sungOnsetsIgnored() {
        return sung.ignored();
    }

    /** How much of the latest look at an onset was held notes (0-1; see {@link SungNotes}); 0 before music is dismissed. */
    public double lastWakeHeldShare() {
        return sung.lastShare();
    }

    /**
     * The line from the first sign of the speech that woke the agent (at least the last 3 s, at most
     * 8 s), oldest first: the first words of whoever spoke, however long the detector took to be sure.
     */
    public List<String> takePreRoll() {
        long first = evidenceFrame < 0 ? frame - PRE_ROLL_FRAMES : Math.min(frame - PRE_ROLL_FRAMES, evidenceFrame - PRE_ROLL_MARGIN_FRAMES);
        int keep = (int) Math.max(0, Math.min(preRoll.size(), frame - first));
        List<String> all = List.copyOf(preRoll);
        preRoll.clear();
        evidenceFrame = -1;
        return all.subList(all.size() - keep, all.size());
    }

    /**
     * Whether the last 300 ms (the onset and a little before it) already match a dismissed recording:
     * then no socket is opened ahead of a wake that will very likely not come (the full check, on
     * {@link #VERIFY_FRAMES} after the wake bar, still decides).
     */
    private boolean soundsLikeADismissedRecording() {
        if (!recogniseRepeats || dismissed.isEmpty()) {
            return false;
        }
        var match = dismissed.best(lastFrames(VERIFY_FRAMES), 0, VERIFY_FRAMES);
        return match.isPresent() && match.get().bitErrorRate() <= REPEAT_BER;
    }

    /** On a line whose music the agent dismissed: the run is something the line played before (its playlist come round again). */
    private boolean playedBefore(int frames) {
        return sung.onMusicLine() && line.compareNewest(frames, LINE_RECENT_FRAMES).map(LineMemory.Comparison::isRepeat).orElse(false);
    }

    /** Tracks where the current stretch of possible speech began: chunks over a low bar, with short gaps allowed. */
    private void noteEvidence(float probability) {
        if (probability > EVIDENCE_PROBABILITY) {
            if (evidenceFrame < 0) {
                evidenceFrame = Math.max(0, frame - 2); // the chunk just scored began about 32 ms (and Silero's lag) ago
            }
            chunksWithoutEvidence = 0;
        } else if (evidenceFrame >= 0 && ++chunksWithoutEvidence >= EVIDENCE_GAP_CHUNKS) {
            evidenceFrame = -1;
        }
    }

    /** Between runs of speech, the detector starts afresh every half second: its state must not drift over a long hold. */
    private void resetWhenIdle() {
        if (speechChunks > 0) {
            chunksSinceReset = 0;
            return;
        }
        if (++chunksSinceReset >= RESET_CHUNKS) {
            detector.reset();
            chunksSinceReset = 0;
        }
    }

    private Decision wake() {
        mode = Mode.LISTENING;
        speechChunks = 0;
        int lead = (int) Math.min(RING, frame - onsetFrame + DismissedRecordings.LEAD_FRAMES);
        capture = new int[MAX_SEGMENT_FRAMES];
        int[] before = lastFrames(lead);
        System.arraycopy(before, 0, capture, 0, before.length);
        captured = before.length;
        return Decision.WAKE;
    }

    private void track(DismissedRecordings.Match match, int framesSoFar) {
        mode = Mode.SUPPRESSED;
        trackedSegment = match.segment();
        trackedOffset = match.onsetInSegment() + framesSoFar; // the segment frame the next live frame should match
        trackedFrames = 0;
        trackErrorSum = 0;
        Arrays.fill(trackErrors, 0);
    }

    /** Follows a recognised repeat until it ends or stops matching (someone talks over it): then listen again. */
    private void followRepeat(int fp) {
        if (trackedOffset >= trackedSegment.length) {
            resumeListening();
            return;
        }
        int errors = Integer.bitCount((fp ^ trackedSegment[trackedOffset++]) & 0xFFFF);
        int slot = trackedFrames % TRACK_FRAMES;
        trackErrorSum += errors - trackErrors[slot];
        trackErrors[slot] = errors;
        trackedFrames++;
        if (trackedFrames >= TRACK_FRAMES && trackErrorSum / (16.0 * TRACK_FRAMES) > LOST_BER) {
            resumeListening();
        }
    }

    private void resumeListening() {
        mode = Mode.LISTENING;
        speechChunks = 0;
        trackedSegment = null;
    }

    private int[] lastFrames(int count) {
        int[] out = new int[count];
        for (int i = 0; i < count; i++) {
            long at = frame - count + i;
            out[i] = at < 0 ? 0 : ring[(int) (at % RING)]; // before the first frame: silence
        }
        return out;
    }

    private int decode(byte[] mulaw) {
        int n = Math.min(mulaw.length, samples.length);
        for (int i = 0; i < n; i++) {
            samples[i] = MuLawCodec.decode(mulaw[i]) / 32768f;
        }
        return n;
    }
}
