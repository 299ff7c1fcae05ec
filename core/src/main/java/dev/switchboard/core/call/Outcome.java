package dev.switchboard.core.call;

import java.util.Optional;

/**
 * How a call ended, as far as Switchboard is concerned: {@code completed}, {@code transferred},
 * {@code hung_up} or {@code failed}, with a reason and, for a transfer, the target.
 */
public record Outcome(String kind, String reason, Optional<String> target) {

    public static Outcome completed(String reason) {
        return new Outcome("completed", reason, Optional.empty());
    }

    public static Outcome failed(String reason) {
        return new Outcome("failed", reason, Optional.empty());
    }
}
