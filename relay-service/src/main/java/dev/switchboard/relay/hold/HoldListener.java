package dev.switchboard.relay.hold;

import dev.switchboard.relay.audio.MuLawCodec;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;

/**
 * Listens to a hold line while the agent's Realtime session is closed, one 20 ms frame at a time, and
 * says when to wake the agent: a person speaking (Silero VAD), but not a recorded announcement the
 * agent already dismissed (acoustic fingerprint). Keeps the last 1.5 s of audio so the woken session
 * hears the first words whole. After a wake it keeps fingerprinting for up to {@link #MAX_SEGMENT_FRAMES}
 * so that, if the agent calls {@code continue_hold}, the recording is remembered.
 *
 * <p>One per call, used on the call's event loop only. CPU per held call: one Silero inference per 32 ms
 * and one 256-point FFT per 20 ms (see docs/BENCHMARKS.md).
 */
public final class HoldListener {

    /**
     * {@code SPEECH_STARTING}: the line has sounded like speech for {@link #WARM_UP_CHUNKS} chunks, a wake may
     * follow (the session opens its Realtime socket now, so that a wake finds it connected).
     */
    public enum Decision { NONE, SPEECH_STARTING, WAKE, REPEAT_IGNORED }

    /** 1.5 s of 20 ms frames, sent to the new session when a person speaks. */
    public static final int PRE_ROLL_FRAMES = 75;
    /**
     * Consecutive 32 ms Silero chunks with speech probability over {@link #SPEECH_PROBABILITY} that count
     * as a person starting to speak (320 ms). Fewer let instrumental hold music through now and then; with 10
     * there was no false wake in 22 minutes of music and noise (docs/BENCHMARKS.md).
     */
    public static final int WAKE_CHUNKS = 10;
    /** Consecutive speech chunks (96 ms) after which a wake is likely enough to open a socket for it. */
    public static final int WARM_UP_CHUNKS = 3;
    static final float SPEECH_PROBABILITY = 0.5f;
    /** From the first speech chunk to the frame that decides: 10 chunks of 32 ms, in 20 ms frames, plus Silero's lag. */
    static final int ONSET_LAG_FRAMES = 17;
    /** Frames after an onset compared with the dismissed recordings before deciding (300 ms). */
    public static final int VERIFY_FRAMES = 15;
    /** At or under this share of differing bits, the onset is a repeat of a dismissed recording. */
    static final double REPEAT_BER = 0.30;
    /** While a repeat plays, the running match over this many frames must stay under {@link #LOST_BER}. */
    static final int TRACK_FRAMES = 25;
    static final double LOST_BER = 0.40;
    static final int RING = 128;
    public static final int MAX_SEGMENT_FRAMES = 500;

    private enum Mode { LISTENING, VERIFYING, SUPPRESSED }

    private final SpeechDetector.Model model;
    private final boolean recogniseRepeats;
    private final AudioFingerprint fingerprint = new AudioFingerprint();
    private final DismissedRecordings dismissed = new DismissedRecordings();
    private final float[] samples = new float[160];
    private final int[] ring = new int[RING];
    private final ArrayDeque<String> preRoll = new ArrayDeque<>();
    private SpeechDetector detector;
    private Mode mode = Mode.LISTENING;
    private long frame;
    private int speechChunks;
    private long chunksSeen;
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

    /** The call goes on hold: forget the audio of before, listen afresh. Dismissed recordings are kept. */
    public void startListening() {
        detector = new SpeechDetector(model);
        preRoll.clear();
        mode = Mode.LISTENING;
        speechChunks = 0;
        chunksSeen = 0;
        capture = null;
    }

    /** One frame of the hold line (mu-law, base64 as Twilio sent it, and decoded). */
    public Decision onHoldFrame(String payload, byte[] mulaw) {
        if (preRoll.size() == PRE_ROLL_FRAMES) {
            preRoll.pollFirst();
        }
        preRoll.addLast(payload);
        int n = decode(mulaw);
        int fp = fingerprint.next(samples, n);
        ring[(int) (frame % RING)] = fp;
        frame++;
        float probability = detector.accept(samples, n);
        boolean newChunk = detector.chunks() != chunksSeen;
        chunksSeen = detector.chunks();
        switch (mode) {
            case LISTENING -> {
                if (newChunk) {
                    speechChunks = probability > SPEECH_PROBABILITY ? speechChunks + 1 : 0;
                    if (speechChunks == WARM_UP_CHUNKS) {
                        return Decision.SPEECH_STARTING;
                    }
                }
                if (speechChunks >= WAKE_CHUNKS) {
                    onsetFrame = frame - ONSET_LAG_FRAMES;
                    if (!recogniseRepeats || dismissed.isEmpty()) {
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
                    return wake();
                }
            }
            case SUPPRESSED -> followRepeat(fp);
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
        frame++;
        capture[captured++] = fp;
    }

    public boolean capturing() {
        return capture != null && captured < capture.length;
    }

    /** {@code continue_hold}: what woke the agent was a recording; do not wake for it again. */
    public void dismissLastWake() {
        if (capture != null) {
            dismissed.add(capture, captured);
            capture = null;
        }
    }

    public int dismissedRecordings() {
        return dismissed.size();
    }

    /** The last 1.5 s of the line, oldest first: the first words of whoever woke the agent. */
    public List<String> takePreRoll() {
        List<String> frames = List.copyOf(preRoll);
        preRoll.clear();
        return frames;
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
