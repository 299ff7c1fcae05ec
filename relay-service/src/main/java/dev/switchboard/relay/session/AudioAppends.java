package dev.switchboard.relay.session;

import java.io.ByteArrayOutputStream;
import java.util.Base64;

/**
 * Caller audio sent after the fact (kept while a Realtime session opened) joined into appends of up to
 * {@link #FRAMES} frames, instead of one {@code input_audio_buffer.append} per 20 ms frame: calls that
 * open together would otherwise each write, and the Realtime API parse, up to 500 small messages at
 * once, on a relay at its busiest. Live audio is not batched: it goes frame by frame, as it comes.
 */
public final class AudioAppends {

    /** One second of 20 ms frames: an append of about 11 KB of base64, far under the API's limit. */
    public static final int FRAMES = 50;

    /** Receives each joined append: base64 mu-law, and how many bytes of audio it holds. */
    public interface Sink {
        void append(String base64, int bytes);
    }

    private final Sink sink;
    private final ByteArrayOutputStream batch = new ByteArrayOutputStream(FRAMES * 160);
    private int frames;

    public AudioAppends(Sink sink) {
        this.sink = sink;
    }

    /** One frame as Twilio sent it (base64 mu-law). */
    public void add(String payload) {
        batch.writeBytes(Base64.getDecoder().decode(payload));
        if (++frames == FRAMES) {
            flush();
        }
    }

    /** Sends what is joined so far, if anything. */
    public void flush() {
        if (frames == 0) {
            return;
        }
        byte[] audio = batch.toByteArray();
        sink.append(Base64.getEncoder().encodeToString(audio), audio.length);
        batch.reset();
        frames = 0;
    }
}
