package dev.switchboard.simulator.audio;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

/** Generated and file-backed mu-law audio for simulated callers and replies. */
public final class Audio {

    private Audio() {
    }

    public static byte[] silence(int millis) {
        byte[] out = new byte[millis * MuLaw.BYTES_PER_MS];
        Arrays.fill(out, MuLaw.SILENCE);
        return out;
    }

    /** A sum of sine tones at a level in dBFS (0 dBFS = full-scale sine). */
    public static byte[] tones(int millis, double dbfs, double... frequencies) {
        int n = millis * MuLaw.BYTES_PER_MS;
        byte[] out = new byte[n];
        double amplitude = 32767 * Math.pow(10, dbfs / 20) / frequencies.length;
        for (int i = 0; i < n; i++) {
            double v = 0;
            for (double f : frequencies) {
                v += amplitude * Math.sin(2 * Math.PI * f * i / MuLaw.SAMPLE_RATE);
            }
            out[i] = MuLaw.encode((int) Math.round(v));
        }
        return out;
    }

    /**
     * Speech-like sound: voiced harmonics under a syllable-rate (4 Hz) envelope, loud enough for any
     * voice detector. Deterministic for a given seed so tests can compare what was heard.
     */
    public static byte[] speechLike(int millis, long seed) {
        Random random = new Random(seed);
        int n = millis * MuLaw.BYTES_PER_MS;
        byte[] out = new byte[n];
        double pitch = 110 + random.nextInt(90);
        for (int i = 0; i < n; i++) {
            double t = (double) i / MuLaw.SAMPLE_RATE;
            double envelope = 0.55 + 0.45 * Math.sin(2 * Math.PI * 4 * t);
            double v = 0;
            for (int h = 1; h <= 6; h++) {
                v += Math.sin(2 * Math.PI * pitch * h * t) / h;
            }
            out[i] = MuLaw.encode((int) (6000 * envelope * v + random.nextGaussian() * 200));
        }
        return out;
    }

    /** Raw mu-law file (no header), as in Twilio streams and {@code shared/audio}. */
    public static byte[] read(Path file) throws IOException {
        return Files.readAllBytes(file);
    }

    /** The same audio louder or quieter ({@code gain} 0.7 is 3 dB down), as a recording played over another route. */
    public static byte[] gain(byte[] mulaw, double gain) {
        byte[] out = new byte[mulaw.length];
        for (int i = 0; i < mulaw.length; i++) {
            out[i] = MuLaw.encode((int) Math.round(MuLaw.decode(mulaw[i]) * gain));
        }
        return out;
    }

    /** Two sounds on the line at once (a voice over music, say), as long as the shorter. */
    public static byte[] mix(byte[] a, byte[] b) {
        byte[] out = new byte[Math.min(a.length, b.length)];
        for (int i = 0; i < out.length; i++) {
            out[i] = MuLaw.encode(Math.max(-32768, Math.min(32767, MuLaw.decode(a[i]) + MuLaw.decode(b[i]))));
        }
        return out;
    }

    public static byte[] concat(byte[]... parts) {
        int total = 0;
        for (byte[] p : parts) {
            total += p.length;
        }
        byte[] out = new byte[total];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
