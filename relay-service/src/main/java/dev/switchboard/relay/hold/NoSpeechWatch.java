package dev.switchboard.relay.hold;

import dev.switchboard.relay.audio.MuLawCodec;

/**
 * Automatic hold entry: while the agent waits for an answer, counts how long the other side has sent
 * only music, tones or silence (no speech, by Silero VAD). Fed only while the agent is waiting, and
 * only for agents with {@code hold.autoAfterSeconds} set, so other calls pay nothing for it.
 */
public final class NoSpeechWatch {

    static final float SPEECH_PROBABILITY = 0.5f;
    /** Speech must last this many 32 ms chunks to reset the count (a drum hit or a sung note is not a person). */
    static final int SPEECH_CHUNKS = 4;

    private final SpeechDetector.Model model;
    private final SpeechDetector detector;
    private final long limitMillis;
    private final float[] samples = new float[160];
    private long quietMillis;
    private int speechRun;
    private long chunksSeen;

    public NoSpeechWatch(SpeechDetector.Model model, long limitMillis) {
        this.model = model;
        this.detector = new SpeechDetector(model);
        this.limitMillis = limitMillis;
    }

    /**
     * One frame of the other side while the agent waits; true once there was no speech for the limit.
     * Nothing counts until the speech model has loaded (the first watch of a relay loads it, in about
     * half a second): the wait for hold starts that much later, once; never, if the model could not load.
     */
    public boolean quietTooLong(byte[] mulaw) {
        if (!model.ready()) {
            model.prepare();
            return false;
        }
        int n = Math.min(mulaw.length, samples.length);
        for (int i = 0; i < n; i++) {
            samples[i] = MuLawCodec.decode(mulaw[i]) / 32768f;
        }
        float probability = detector.accept(samples, n);
        if (detector.chunks() != chunksSeen) {
            chunksSeen = detector.chunks();
            speechRun = probability > SPEECH_PROBABILITY ? speechRun + 1 : 0;
        }
        if (speechRun >= SPEECH_CHUNKS) {
            quietMillis = 0;
        } else {
            quietMillis += n / 8;
        }
        return quietMillis >= limitMillis;
    }

    /** The agent spoke or someone answered: the wait starts again. */
    public void reset() {
        quietMillis = 0;
        speechRun = 0;
    }
}
