package dev.switchboard.core.agent;

/**
 * What one key of a menu does, without asking the model: {@code transfer} (to a directory
 * {@code target}), {@code say} (the fixed {@code text}), {@code hangup}, or {@code agent} (hand the
 * conversation to the model, with {@code text} as a note). {@code text} is also what the agent says
 * before a transfer or a hang-up.
 */
public record MenuOption(String action, String target, String text) {

    public MenuOption {
        if (action == null || !java.util.Set.of("transfer", "say", "hangup", "agent", "step").contains(action)) {
            throw new IllegalArgumentException("menu action must be transfer, say, hangup, agent or step, got '" + action + "'");
        }
        if ((action.equals("transfer") || action.equals("step")) && (target == null || target.isBlank())) {
            throw new IllegalArgumentException("a " + action + " menu option needs a target");
        }
        if (action.equals("say") && (text == null || text.isBlank())) {
            throw new IllegalArgumentException("a say menu option needs a text");
        }
        text = text == null ? "" : text;
    }
}
