package dev.switchboard.core.call;

import java.util.Locale;
import java.util.Optional;

/**
 * Twilio's call statuses, ranked so that a late or repeated callback never moves a call backwards:
 * a record only takes a status of a higher rank than the one it holds. All final statuses share
 * the top rank, so the first final status wins.
 */
public enum CallStatus {
    QUEUED("queued", 0),
    INITIATED("initiated", 1),
    RINGING("ringing", 2),
    IN_PROGRESS("in-progress", 3),
    COMPLETED("completed", 4),
    BUSY("busy", 4),
    NO_ANSWER("no-answer", 4),
    FAILED("failed", 4),
    CANCELED("canceled", 4);

    private final String wire;
    private final int rank;

    CallStatus(String wire, int rank) {
        this.wire = wire;
        this.rank = rank;
    }

    public String wire() {
        return wire;
    }

    public int rank() {
        return rank;
    }

    public boolean isFinal() {
        return rank == 4;
    }

    public static Optional<CallStatus> fromWire(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String v = value.toLowerCase(Locale.ROOT);
        // Status callbacks for the "answered" event report in-progress; some SDKs spell it "answered".
        if (v.equals("answered")) {
            return Optional.of(IN_PROGRESS);
        }
        for (CallStatus s : values()) {
            if (s.wire.equals(v)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
