package dev.switchboard.relay.bench;

import dev.switchboard.relay.dtmf.DtmfDetector;
import dev.switchboard.relay.dtmf.DtmfTones;
import dev.switchboard.relay.media.HotFrames;
import dev.switchboard.relay.realtime.ClientEvents;
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
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The per-frame work of the relay (bench/jmh): parsing a Twilio media frame and building the append,
 * and the in-band keypad detector on one 20 ms frame of real speech. One call is 50 frames a second,
 * so "µs per frame × 50" is the CPU per call-second.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class HotPathBenchmark {

    private byte[][] speechFrames;
    private byte[][] toneFrames;
    private int next;
    private DtmfDetector detector;
    private HotFrames hot;
    private String twilioMedia;

    @Setup
    public void setUp() throws Exception {
        byte[] speech;
        try (InputStream in = HotPathBenchmark.class.getResourceAsStream("/audio/speech-allison-20s.ulaw")) {
            speech = in.readAllBytes();
        }
        speechFrames = frames(speech);
        toneFrames = frames(DtmfTones.generate("1234567890*#", 100, 100));
        detector = new DtmfDetector(key -> { });
        hot = new HotFrames();
        twilioMedia = "{\"event\":\"media\",\"sequenceNumber\":\"42\",\"streamSid\":\"MZ" + "0".repeat(32)
                + "\",\"media\":{\"track\":\"inbound\",\"chunk\":\"41\",\"timestamp\":\"820\",\"payload\":\""
                + Base64.getEncoder().encodeToString(Arrays.copyOf(speech, 160)) + "\"}}";
    }

    static byte[][] frames(byte[] audio) {
        byte[][] out = new byte[audio.length / 160][];
        for (int i = 0; i < out.length; i++) {
            out[i] = Arrays.copyOfRange(audio, i * 160, i * 160 + 160);
        }
        return out;
    }

    @Benchmark
    public void detectorOnSpeechFrame() {
        detector.accept(speechFrames[next++ % speechFrames.length]);
    }

    @Benchmark
    public void detectorOnToneFrame() {
        detector.accept(toneFrames[next++ % toneFrames.length]);
    }

    @Benchmark
    public void twilioMediaToAppend(Blackhole bh) throws Exception {
        bh.consume(ClientEvents.append(hot.twilioMediaPayload(twilioMedia)));
    }
}
