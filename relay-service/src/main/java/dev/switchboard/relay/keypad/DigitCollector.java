package dev.switchboard.relay.keypad;

import dev.switchboard.core.agent.KeypadSettings;
import io.vertx.core.Vertx;
import java.util.function.BooleanSupplier;

/**
 * Gathers a call's keypad presses into entries, so the model gets one message per entry instead of a
 * response per key (the question in seed 000). An entry ends on the terminator (not included), at
 * the maximum length, or after the inter-digit timeout; the timeout only runs out while nobody is
 * talking: at expiry, if the agent or the caller is speaking, it waits for them before ending.
 *
 * <p>Runs on the call's event loop, like the rest of the session.
 */
public final class DigitCollector {

    /** Where completed entries and buffer changes go. */
    public interface Listener {
        void onEntry(String digits, String endedBy);

        void onBufferChanged(String buffer);
    }

    static final long BUSY_RECHECK_MS = 100;

    private final Vertx vertx;
    private final KeypadSettings settings;
    private final BooleanSupplier someoneTalking;
    private final Listener listener;
    private final StringBuilder buffer = new StringBuilder();
    private long timer = -1;

    public DigitCollector(Vertx vertx, KeypadSettings settings, BooleanSupplier someoneTalking, Listener listener) {
        this.vertx = vertx;
        this.settings = settings;
        this.someoneTalking = someoneTalking;
        this.listener = listener;
    }

    /** Restores an entry that was being typed when another relay held the call. */
    public void restore(String typed) {
        buffer.setLength(0);
        buffer.append(typed);
        if (!buffer.isEmpty()) {
            arm(settings.interDigitTimeoutMs());
        }
    }

    public String buffer() {
        return buffer.toString();
    }

    public boolean isTyping() {
        return !buffer.isEmpty();
    }

    /** One key; returns false for a character that is not a DTMF key. */
    public boolean onKey(char key) {
        if ("0123456789*#ABCD".indexOf(key) < 0) {
            return false;
        }
        if (!settings.terminator().isEmpty() && key == settings.terminator().charAt(0)) {
            if (!buffer.isEmpty()) {
                flush("terminator");
            }
            return true;
        }
        if (key == '*' && settings.star().equals("clear")) {
            buffer.setLength(0);
            cancelTimer();
            listener.onBufferChanged("");
            return true;
        }
        buffer.append(key);
        if (settings.maxDigits() > 0 && buffer.length() >= settings.maxDigits()) {
            flush("max-length");
            return true;
        }
        listener.onBufferChanged(buffer.toString());
        arm(settings.interDigitTimeoutMs());
        return true;
    }

    private void arm(long millis) {
        cancelTimer();
        timer = vertx.setTimer(millis, t -> {
            timer = -1;
            if (buffer.isEmpty()) {
                return;
            }
            if (someoneTalking.getAsBoolean()) {
                arm(BUSY_RECHECK_MS);
            } else {
                flush("timeout");
            }
        });
    }

    private void flush(String endedBy) {
        cancelTimer();
        String digits = buffer.toString();
        buffer.setLength(0);
        listener.onEntry(digits, endedBy);
    }

    public void close() {
        cancelTimer();
    }

    private void cancelTimer() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
    }
}
