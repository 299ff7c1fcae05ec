package dev.switchboard.core.setup;

import java.util.Map;
import java.util.Optional;

/**
 * What a setup webhook answered for one call: {@code variables} for {@code {{name}}} in the agent's
 * instructions and greeting, extra {@code instructions}, another {@code agent} profile by name, and an
 * immediate {@code action} ({@code reject}, {@code transfer} to a directory target, {@code hangup}
 * after saying {@code text}).
 */
public record SetupAnswer(Map<String, String> variables, String instructions, Optional<String> agent,
                          Optional<Action> action) {

    public static final SetupAnswer NONE = new SetupAnswer(Map.of(), "", Optional.empty(), Optional.empty());

    public record Action(String type, String target, String text) {
    }
}
