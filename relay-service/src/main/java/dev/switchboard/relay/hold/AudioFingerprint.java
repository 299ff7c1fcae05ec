package dev.switchboard.relay.hold;

/**
 * A 16-bit acoustic fingerprint per 20 ms frame, after Haitsma and Kalker's robust audio hash: the
 * energy of 17 bands between 300 and 3400 Hz (a 1024-sample Hann window over the last 128 ms, so that
 * consecutive frames overlap heavily, as in the original, and a replay out of step with the 20 ms frames
 * still gives the same bits), and one
 * bit per pair of neighbouring bands saying whether their energy difference grew since the last frame.
 * The same recording played again gives nearly the same bits even with the line's level, codec noise
 * and frame alignment changed; different speech agrees on about half of them.
 *
 * <p>Written here because no library on the build's mirror does audio fingerprinting on 8 kHz
 * telephone frames; the FFT is a plain radix-2 transform of one fixed size. One instance per call
 * (it keeps the previous frame); not thread-safe.
 */
public final class AudioFingerprint {

    static final int N = 1024;
    static final int BANDS = 17;
    private static final double SAMPLE_RATE = 8000;

    private final float[] window = new float[N];
    private final float[] history = new float[N];
    private final double[] re = new double[N];
    private final double[] im = new double[N];
    private final double[] energy = new double[BANDS];
    private final double[] previous = new double[BANDS];
    private final int[] bandEdges = new int[BANDS + 1];
    private final double[] cos = new double[N / 2];
    private final double[] sin = new double[N / 2];
    private final int[] reversed = new int[N];

    public AudioFingerprint() {
        for (int i = 0; i < N; i++) {
            window[i] = (float) (0.5 - 0.5 * Math.cos(2 * Math.PI * i / (N - 1)));
        }
        for (int b = 0; b <= BANDS; b++) {
            double hz = 300 * Math.pow(3400.0 / 300.0, (double) b / BANDS); // log-spaced, like the ear
            bandEdges[b] = (int) Math.round(hz * N / SAMPLE_RATE);
        }
        for (int k = 0; k < N / 2; k++) {
            cos[k] = Math.cos(-2 * Math.PI * k / N);
            sin[k] = Math.sin(-2 * Math.PI * k / N);
        }
        int bits = Integer.numberOfTrailingZeros(N);
        for (int i = 0; i < N; i++) {
            reversed[i] = Integer.reverse(i) >>> (32 - bits);
        }
    }

    /** Adds one frame of linear samples (scaled to [-1, 1]) and returns its 16-bit fingerprint. */
    public int next(float[] samples, int length) {
        System.arraycopy(history, length, history, 0, N - length);
        System.arraycopy(samples, 0, history, N - length, length);
        for (int i = 0; i < N; i++) {
            re[reversed[i]] = history[i] * window[i];
            im[reversed[i]] = 0;
        }
        fft();
        for (int b = 0; b < BANDS; b++) {
            double e = 1e-12;
            for (int k = bandEdges[b]; k < Math.max(bandEdges[b] + 1, bandEdges[b + 1]); k++) {
                e += re[k] * re[k] + im[k] * im[k];
            }
            energy[b] = e;
        }
        int bits = 0;
        for (int b = 0; b < BANDS - 1; b++) {
            double now = energy[b] - energy[b + 1];
            double before = previous[b] - previous[b + 1];
            if (now - before > 0) {
                bits |= 1 << b;
            }
        }
        System.arraycopy(energy, 0, previous, 0, BANDS);
        return bits;
    }

    private void fft() {
        for (int size = 2; size <= N; size <<= 1) {
            int half = size >> 1;
            int step = N / size;
            for (int start = 0; start < N; start += size) {
                for (int k = 0; k < half; k++) {
                    double wr = cos[k * step];
                    double wi = sin[k * step];
                    int a = start + k;
                    int b = a + half;
                    double tr = re[b] * wr - im[b] * wi;
                    double ti = re[b] * wi + im[b] * wr;
                    re[b] = re[a] - tr;
                    im[b] = im[a] - ti;
                    re[a] += tr;
                    im[a] += ti;
                }
            }
        }
    }

    /** Share of differing bits between two runs of fingerprints of equal length (0 = identical). */
    public static double bitErrorRate(int[] a, int aFrom, int[] b, int bFrom, int frames) {
        int differing = 0;
        for (int i = 0; i < frames; i++) {
            differing += Integer.bitCount((a[aFrom + i] ^ b[bFrom + i]) & 0xFFFF);
        }
        return differing / (16.0 * frames);
    }
}
