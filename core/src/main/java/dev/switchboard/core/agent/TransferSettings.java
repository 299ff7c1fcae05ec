package dev.switchboard.core.agent;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where an agent may transfer calls. The model can only reach the named {@code targets}, unless
 * {@code allowAnyNumber} lets it dial any E.164 number it is given.
 *
 * @param callerId       the caller ID shown to the human (E.164); empty keeps the caller's number
 * @param timeoutSeconds how long to ring the human before the caller comes back to the agent
 */
public record TransferSettings(Map<String, TransferTarget> targets, boolean allowAnyNumber, String callerId,
                               int timeoutSeconds) {

    public static final TransferSettings NONE = new TransferSettings(Map.of(), false, "", 30);

    public TransferSettings {
        targets = targets == null ? Map.of() : new LinkedHashMap<>(targets);
        callerId = callerId == null ? "" : callerId;
        timeoutSeconds = timeoutSeconds <= 0 ? 30 : Math.min(timeoutSeconds, 600);
    }

    public boolean enabled() {
        return !targets.isEmpty() || allowAnyNumber;
    }

    /** A named target, or (when allowed) a bare E.164 number. */
    public Optional<TransferTarget> resolve(String nameOrNumber) {
        if (nameOrNumber == null) {
            return Optional.empty();
        }
        TransferTarget named = targets.get(nameOrNumber);
        if (named != null) {
            return Optional.of(named);
        }
        if (allowAnyNumber && nameOrNumber.matches("\\+[1-9]\\d{6,14}")) {
            return Optional.of(new TransferTarget(nameOrNumber, null, "a number given in the conversation"));
        }
        return Optional.empty();
    }
}
