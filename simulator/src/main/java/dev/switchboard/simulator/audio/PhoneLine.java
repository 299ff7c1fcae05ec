package dev.switchboard.simulator.audio;

import java.util.Random;

/**
 * What a telephone line does to a voice: the 300-3400 Hz band, a level, and line noise. Used to play
 * callers as real lines carry them, not as studio recordings (a detector tuned on the latter misses
 * the former). GSM and other codec round trips are left to sox, where the codecs live.
 */
public final class PhoneLine {

    private PhoneLine() {
    }

    /** Mu-law audio through the telephone band, its voiced part at {@code dbfs}, with noise at {@code noiseDbfs}. */
    public static byte[] carry(byte[] mulaw, double dbfs, double noiseDbfs, long seed) {
        float[] x = new float[mulaw.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = MuLaw.decode(mulaw[i]) / 32768f;
        }
        float[] y = addNoise(band(scaleTo(x, dbfs)), noiseDbfs, seed);
        byte[] out = new byte[y.length];
        for (int i = 0; i < y.length; i++) {
            out[i] = MuLaw.encode((int) Math.max(-32768, Math.min(32767, y[i] * 32768)));
        }
        return out;
    }

    /** Scales so the voiced part (samples over -50 dBFS) has an RMS of {@code dbfs}. */
    public static float[] scaleTo(float[] x, double dbfs) {
        double sum = 0;
        int n = 0;
        for (float v : x) {
            if (Math.abs(v) > 0.003) {
                sum += v * v;
                n++;
            }
        }
        double rms = Math.sqrt(sum / Math.max(1, n));
        float gain = (float) (Math.pow(10, dbfs / 20) / Math.max(rms, 1e-6));
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i] * gain;
        }
        return out;
    }

    /** Two second-order high-passes at 300 Hz and two low-passes at 3400 Hz (RBJ cookbook biquads, Q 0.707). */
    public static float[] band(float[] x) {
        float[] y = x;
        for (int pass = 0; pass < 2; pass++) {
            y = biquad(y, 300, true);
            y = biquad(y, 3400, false);
        }
        return y;
    }

    /** White noise whose RMS is {@code dbfs}, added to a copy of {@code x}. */
    public static float[] addNoise(float[] x, double dbfs, long seed) {
        Random noise = new Random(seed);
        double level = Math.pow(10, dbfs / 20);
        float[] y = x.clone();
        for (int i = 0; i < y.length; i++) {
            y[i] += (float) (noise.nextGaussian() * level);
        }
        return y;
    }

    private static float[] biquad(float[] x, double f0, boolean highPass) {
        double w0 = 2 * Math.PI * f0 / MuLaw.SAMPLE_RATE;
        double alpha = Math.sin(w0) / (2 * Math.sqrt(0.5));
        double cos = Math.cos(w0);
        double b0 = highPass ? (1 + cos) / 2 : (1 - cos) / 2;
        double b1 = highPass ? -(1 + cos) : 1 - cos;
        double a0 = 1 + alpha;
        double a1 = -2 * cos;
        double a2 = 1 - alpha;
        float[] y = new float[x.length];
        double x1 = 0;
        double x2 = 0;
        double y1 = 0;
        double y2 = 0;
        for (int i = 0; i < x.length; i++) {
            double out = (b0 * x[i] + b1 * x1 + b0 * x2 - a1 * y1 - a2 * y2) / a0;
            x2 = x1;
            x1 = x[i];
            y2 = y1;
            y1 = out;
            y[i] = (float) out;
        }
        return y;
    }
}
