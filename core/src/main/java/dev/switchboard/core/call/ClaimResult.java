package dev.switchboard.core.call;

import java.util.Optional;

/** Why a stream was accepted or refused. Refusals never say more to the peer than "refused". */
public record ClaimResult(boolean accepted, String reason, Optional<CallRecord> call) {

    public static ClaimResult refused(String reason) {
        return new ClaimResult(false, reason, Optional.empty());
    }

    public static ClaimResult accepted(CallRecord call) {
        return new ClaimResult(true, "accepted", Optional.of(call));
    }
}
