package dev.switchboard.simulator.load;

import java.util.Arrays;

/** Latency samples in nanoseconds; percentiles on demand. */
final class Latencies {

    private long[] samples = new long[1 << 16];
    private int size;
    private volatile boolean recording;

    void recording(boolean on) {
        recording = on;
    }

    synchronized void add(long nanos) {
        if (!recording) {
            return;
        }
        if (size == samples.length) {
            samples = Arrays.copyOf(samples, size * 2);
        }
        samples[size++] = nanos;
    }

    /** Forgets the samples so far: the next window starts empty. */
    synchronized void clear() {
        size = 0;
    }

    synchronized int count() {
        return size;
    }

    /** The p-th percentile (0-100) in milliseconds. */
    synchronized double percentileMs(double p) {
        if (size == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(samples, size);
        Arrays.sort(sorted);
        int index = (int) Math.min(size - 1, Math.ceil(p / 100.0 * size) - 1);
        return sorted[Math.max(0, index)] / 1e6;
    }
}
