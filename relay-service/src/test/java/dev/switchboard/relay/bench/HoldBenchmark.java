package dev.switchboard.relay.bench;

import dev.switchboard.relay.hold.AudioFingerprint;
import dev.switchboard.relay.hold.HoldListener;
import dev.switchboard.relay.hold.SpeechDetector;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * CPU per 20 ms frame of a held call: what the relay does with the hold line's audio while the
 * Realtime session is closed (decode, fingerprint, Silero VAD every 32 ms). One core sustains
 * 20 ms / (time per frame) held calls. Run: {@code bench/jmh HoldBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class HoldBenchmark {

    private SpeechDetector.Model model;
    private HoldListener listener;
    private AudioFingerprint fingerprint;
    private byte[][] frames;
    private String[] payloads;
    private final float[] samples = new float[160];
    private int next;

    @Setup
    public void setUp() throws Exception {
        byte[] music;
        try (InputStream in = HoldBenchmark.class.getResourceAsStream("/audio/music-macroform-cold-day-20s.ulaw")) {
            music = in.readAllBytes();
        }
        frames = new byte[music.length / 160][];
        payloads = new String[frames.length];
        for (int i = 0; i < frames.length; i++) {
            frames[i] = Arrays.copyOfRange(music, i * 160, i * 160 + 160);
            payloads[i] = Base64.getEncoder().encodeToString(frames[i]);
        }
        model = SpeechDetector.Model.load();
        listener = new HoldListener(model, true);
        listener.startListening();
        fingerprint = new AudioFingerprint();
    }

    @TearDown
    public void tearDown() throws Exception {
        model.close();
    }

    /** Everything a held call costs per frame of hold music. */
    @Benchmark
    public HoldListener.Decision heldFrame() {
        int i = next++ % frames.length;
        return listener.onHoldFrame(payloads[i], frames[i]);
    }

    /** The fingerprint alone (1024-point FFT per frame). */
    @Benchmark
    public int fingerprintFrame() {
        int i = next++ % frames.length;
        for (int k = 0; k < 160; k++) {
            samples[k] = frames[i][k] / 128f;
        }
        return fingerprint.next(samples, 160);
    }
}
