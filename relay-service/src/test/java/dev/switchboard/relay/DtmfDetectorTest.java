package dev.switchboard.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.relay.audio.MuLawCodec;
import dev.switchboard.relay.dtmf.DtmfDetector;
import dev.switchboard.relay.dtmf.DtmfTones;
import dev.switchboard.simulator.audio.Audio;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The in-band keypad detector against ITU-T Q.24's limits, real speech and music, and our own tones. */
class DtmfDetectorTest {

    static final double[] ROWS = {697, 770, 852, 941};
    static final double[] COLS = {1209, 1336, 1477, 1633};

    /** Silence, one key's tone (frequency offset, levels, duration, optional noise), silence. */
    static byte[] key(char key, double offset, double lowDbfs, double highDbfs, int ms, double snrDb, long seed) {
        int index = DtmfTones.KEYS.indexOf(key);
        double low = ROWS[index / 4] * (1 + offset);
        double high = COLS[index % 4] * (1 + offset);
        double a = 32767 * Math.pow(10, lowDbfs / 20);
        double b = 32767 * Math.pow(10, highDbfs / 20);
        double signalPower = (a * a + b * b) / 2;
        double noiseRms = Double.isNaN(snrDb) ? 0 : Math.sqrt(signalPower / Math.pow(10, snrDb / 10));
        Random random = new Random(seed);
        int pad = 2400;
        int n = ms * 8;
        byte[] out = new byte[pad + n + pad];
        double phase = random.nextDouble() * 2 * Math.PI;
        for (int i = 0; i < out.length; i++) {
            double v = noiseRms * random.nextGaussian();
            int t = i - pad;
            if (t >= 0 && t < n) {
                v += a * Math.sin(2 * Math.PI * low * t / 8000 + phase) + b * Math.sin(2 * Math.PI * high * t / 8000);
            }
            out[i] = MuLawCodec.encode((int) Math.round(v));
        }
        return out;
    }

    static String detect(byte[] audio) {
        StringBuilder keys = new StringBuilder();
        DtmfDetector detector = new DtmfDetector(keys::append);
        // in 20 ms frames, as the relay feeds it
        for (int off = 0; off < audio.length; off += 160) {
            byte[] frame = Arrays.copyOfRange(audio, off, Math.min(audio.length, off + 160));
            detector.accept(frame);
        }
        return keys.toString();
    }

    @Test
    void everyKeyIsAcceptedAcrossToleranceTwistDurationAndNoise() {
        List<String> failures = new ArrayList<>();
        int cases = 0;
        double[][] levels = {{-10, -10}, {-10, -18}, {-14, -10}}; // flat, 8 dB normal twist, 4 dB reverse twist
        for (char k : DtmfTones.KEYS.toCharArray()) {
            for (double offset : new double[] {-0.015, 0, 0.015}) {
                for (double[] level : levels) {
                    for (int ms : new int[] {40, 100}) {
                        for (double snr : new double[] {Double.NaN, 15}) {
                            cases++;
                            String got = detect(key(k, offset, level[0], level[1], ms, snr, cases));
                            if (!got.equals(String.valueOf(k))) {
                                failures.add(k + " offset " + offset + " levels " + level[0] + "/" + level[1] + " " + ms + " ms snr " + snr + " -> '" + got + "'");
                            }
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), failures, failures.size() + " of " + cases + " cases failed");
    }

    @Test
    void tonesOutsideTheLimitsAreRejected() {
        List<String> failures = new ArrayList<>();
        for (char k : DtmfTones.KEYS.toCharArray()) {
            for (double offset : new double[] {-0.035, 0.035, -0.05, 0.05}) {
                String got = detect(key(k, offset, -10, -10, 100, Double.NaN, k));
                if (!got.isEmpty()) {
                    failures.add(k + " at offset " + offset + " -> '" + got + "'");
                }
            }
            for (int ms : new int[] {10, 20, 22}) {
                String got = detect(key(k, 0, -10, -10, ms, Double.NaN, k));
                if (!got.isEmpty()) {
                    failures.add(k + " lasting " + ms + " ms -> '" + got + "'");
                }
            }
            String tooTwisted = detect(key(k, 0, -6, -20, 100, Double.NaN, k)); // 14 dB: far past the 8 dB limit
            if (!tooTwisted.isEmpty()) {
                failures.add(k + " with 14 dB twist -> '" + tooTwisted + "'");
            }
        }
        assertEquals(List.of(), failures);
    }

    @Test
    void noKeyIsHeardInRealSpeechOrHoldMusic() throws Exception {
        for (String file : new String[] {"/audio/speech-allison-20s.ulaw", "/audio/music-macroform-cold-day-20s.ulaw"}) {
            byte[] audio;
            try (InputStream in = getClass().getResourceAsStream(file)) {
                audio = in.readAllBytes();
            }
            assertEquals(160_000, audio.length, file);
            assertEquals("", detect(audio), "talk-off in " + file);
        }
    }

    @Test
    void noKeyIsHeardInGeneratedSpeechOrNoise() {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (int i = 0; i < 20; i++) {
            all.writeBytes(Audio.speechLike(1500, i));
        }
        Random random = new Random(7);
        for (int i = 0; i < 80_000; i++) {
            all.write(MuLawCodec.encode((int) (random.nextGaussian() * 3000)));
        }
        assertEquals("", detect(all.toByteArray()));
    }

    @Test
    void theTonesWeSendDecodeBackToTheSameKeys() {
        String sequence = "123A456B789C*0#D";
        assertEquals(sequence, detect(DtmfTones.generate(sequence, 100, 100)));
        assertEquals("1122", detect(DtmfTones.generate("1w1W22", 60, 60)), "repeated keys after a pause count twice");
    }
}
