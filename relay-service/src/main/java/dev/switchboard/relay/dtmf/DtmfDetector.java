package dev.switchboard.relay.dtmf;

import dev.switchboard.relay.audio.MuLawCodec;
import java.util.function.Consumer;

/**
 * Finds keypad tones in a call's inbound audio (for legs that deliver keys in-band rather than as
 * Twilio {@code dtmf} events), to ITU-T Q.24 as quoted by Asterisk and spandsp: tones of 40 ms or more
 * accepted and under 23 ms rejected; frequencies within ±1.5% accepted and beyond ±3.5% rejected;
 * normal twist up to 8 dB and reverse twist up to 4 dB; 15 dB signal-to-noise.
 *
 * <p>How: Goertzel filters at the eight DTMF frequencies over 102-sample windows (12.75 ms) every 51
 * samples. A window votes for a key when one row and one column tone stand out (each at least 6 dB
 * above the others of its group, together most of the window's energy, twist within limits) and the
 * signal is steady across the window (both halves carry similar energy, so a window only partly covered
 * by a tone never votes). The
 * frequency is measured from the phase advance of each Goertzel output between consecutive windows,
 * precise enough to split ±1.5% from ±3.5% where the filters' width cannot. Four consecutive votes
 * (at least 32 ms of tone) report the key once; it can repeat only after a pause.
 *
 * <p>Not thread-safe: one detector per call, fed on the call's event loop. Written by hand because no
 * maintained Java DTMF receiver exists; about 40 multiply-adds per sample.
 */
public final class DtmfDetector {

    static final int N = 102;
    static final int HOP = 51;
    static final int VOTES_NEEDED = 4;
    static final double RATE = 8000;
    static final double MAX_FREQUENCY_ERROR = 0.025;
    // Limits on the measured twist: the spec's 8 and 4 dB plus the filters' own loss for a tone 1.5% off
    // centre (up to 1.5 dB on the high group) and noise, so that every tone Q.24 says to accept is accepted.
    static final double NORMAL_TWIST_DB = 11;
    static final double REVERSE_TWIST_DB = 6;
    /** Windows without a key that end a key, so a key is reported once even if one window wavers. */
    static final int PAUSE_WINDOWS = 3;
    static final double MIN_TONE_FRACTION = 0.60;
    static final double MIN_GROUP_MARGIN = 2.5;  // 4 dB: a strong low tone leaks into the neighbouring column filters
    /** |X|^2 / N of a tone of amplitude A is A^2 N / 4: this is about -47 dBFS per tone; quieter is silence. */
    static final double MIN_TONE_POWER = 5.0e5;

    private static final double[] FREQS = {697, 770, 852, 941, 1209, 1336, 1477, 1633};

    private final Consumer<Character> onKey;
    /** The last N samples, as a ring: {@code head} is where the oldest one is (and the next one goes). */
    private final double[] window = new double[N];
    private int head;
    private int filled;
    private int sinceLast;
    private final double[] re = new double[8];
    private final double[] im = new double[8];
    private final double[] prevRe = new double[8];
    private final double[] prevIm = new double[8];
    private int prevKey = -1;
    private int votes;
    private boolean reported;
    private int reportedKey = -1;
    private int runKey = -1;
    private int missed;
    private int quietWindows;
    private double rowError;
    private double colError;
    private int hops;

    public DtmfDetector(Consumer<Character> onKey) {
        this.onKey = onKey;
    }

    /** Feeds mu-law audio (any length). */
    public void accept(byte[] mulaw) {
        for (byte b : mulaw) {
            push(MuLawCodec.decode(b));
        }
    }

    private void push(double sample) {
        window[head] = sample;
        head = head + 1 == N ? 0 : head + 1;
        if (filled < N) {
            if (++filled == N) {
                analyse();
            }
            return;
        }
        if (++sinceLast == HOP) {
            sinceLast = 0;
            analyse();
        }
    }

    private void analyse() {
        double total = 0;
        double[] halves = new double[2];
        for (int i = 0; i < N; i++) {
            double x = window[(head + i) % N];
            double e = x * x;
            total += e;
            halves[i * 2 / N] += e;
        }
        double[] power = new double[8];
        for (int f = 0; f < 8; f++) {
            goertzel(f);
            power[f] = (re[f] * re[f] + im[f] * im[f]) / N;
        }
        int key = vote(power, total, halves);
        if (key >= 0 && key == runKey) {
            votes++;
            missed = 0;
            if (prevKey == key) { // phase advance is only meaningful between adjacent windows
                rowError += frequencyError(key / 4);
                colError += frequencyError(4 + key % 4);
                hops++;
            }
        } else if (key >= 0) {
            runKey = key; // a new tone: the first window has no previous phase to measure against
            votes = 1;
            missed = 0;
            rowError = 0;
            colError = 0;
            hops = 0;
        } else if (++missed > 1) {
            runKey = -1; // one wavering window inside a tone is forgiven, two end it
            votes = 0;
        }
        quietWindows = key < 0 ? quietWindows + 1 : 0;
        if (quietWindows >= PAUSE_WINDOWS || (key >= 0 && reportedKey >= 0 && key != reportedKey)) {
            reported = false;
            reportedKey = -1;
        }
        System.arraycopy(re, 0, prevRe, 0, 8);
        System.arraycopy(im, 0, prevIm, 0, 8);
        prevKey = key;
        if (key >= 0 && votes >= VOTES_NEEDED && !reported && hops > 0
                && Math.abs(rowError / hops) <= MAX_FREQUENCY_ERROR * FREQS[key / 4]
                && Math.abs(colError / hops) <= MAX_FREQUENCY_ERROR * FREQS[4 + key % 4]) {
            reported = true;
            reportedKey = key;
            onKey.accept(DtmfTones.KEYS.charAt(key));
        }
    }

    /** Complex Goertzel output for frequency index f over the current window. */
    private void goertzel(int f) {
        double w = 2 * Math.PI * FREQS[f] / RATE;
        double coeff = 2 * Math.cos(w);
        double s1 = 0;
        double s2 = 0;
        for (int i = 0, j = head; i < N; i++, j = j + 1 == N ? 0 : j + 1) {
            double s0 = window[j] + coeff * s1 - s2;
            s2 = s1;
            s1 = s0;
        }
        // X = s1 - e^{-jw} s2, referenced to the window's last sample
        re[f] = s1 - Math.cos(w) * s2;
        im[f] = Math.sin(w) * s2;
    }

    /** The key this window votes for, or -1. */
    private int vote(double[] power, double total, double[] halves) {
        int row = 0;
        int col = 4;
        for (int i = 1; i < 4; i++) {
            if (power[i] > power[row]) {
                row = i;
            }
            if (power[4 + i] > power[col]) {
                col = 4 + i;
            }
        }
        if (power[row] < MIN_TONE_POWER || power[col] < MIN_TONE_POWER) {
            return -1;
        }
        for (int i = 0; i < 4; i++) {
            if (i != row && power[i] * MIN_GROUP_MARGIN > power[row]) {
                return -1;
            }
            if (4 + i != col && power[4 + i] * MIN_GROUP_MARGIN > power[col]) {
                return -1;
            }
        }
        double twistDb = 10 * Math.log10(power[col] / power[row]); // > 0: high group louder (reverse twist)
        if (twistDb > REVERSE_TWIST_DB || -twistDb > NORMAL_TWIST_DB) {
            return -1;
        }
        // Each tone's power is about N/4 * A^2 in these units while the window's energy is N * A^2 / 2:
        // the two tones hold (power[row] + power[col]) * 2 / total of it.
        if ((power[row] + power[col]) * 2 / total < MIN_TONE_FRACTION) {
            return -1;
        }
        if (Math.min(halves[0], halves[1]) < 0.5 * Math.max(halves[0], halves[1])) {
            return -1; // the tone does not fill the window
        }
        return row * 4 + (col - 4);
    }

    /** How far (Hz) tone f is from its nominal frequency, from its phase advance over the last hop. */
    private double frequencyError(int f) {
        double phaseNow = Math.atan2(im[f], re[f]);
        double phaseBefore = Math.atan2(prevIm[f], prevRe[f]);
        double expected = 2 * Math.PI * FREQS[f] * HOP / RATE;
        double delta = phaseNow - phaseBefore - expected;
        delta = Math.atan2(Math.sin(delta), Math.cos(delta)); // wrap to (-pi, pi]
        return delta * RATE / (2 * Math.PI * HOP);
    }
}
