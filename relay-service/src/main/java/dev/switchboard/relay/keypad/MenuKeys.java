package dev.switchboard.relay.keypad;

import dev.switchboard.core.agent.Menu;
import dev.switchboard.core.agent.MenuOption;
import dev.switchboard.relay.turn.Dialogue;

/**
 * A key pressed in a menu: its option runs at once, without a model round trip; the model is told
 * what happened so the conversation stays coherent.
 */
final class MenuKeys {

    private final Dialogue dialogue;
    private final KeypadHost host;

    MenuKeys(Dialogue dialogue, KeypadHost host) {
        this.dialogue = dialogue;
        this.host = host;
    }

    void press(Menu menu, String key) {
        MenuOption option = menu.options().get(key);
        if (option == null) {
            dialogue.tell("system", "The caller pressed " + key + ", which is not a menu option.");
            dialogue.respond(Dialogue.sayExactly(menu.invalid()));
            return;
        }
        dialogue.tell("system", "The caller pressed " + key + " in the menu: "
                + option.action() + (option.target() == null ? "" : " " + option.target()) + ".");
        switch (option.action()) {
            case "say" -> dialogue.respond(Dialogue.sayExactly(option.text()));
            case "agent" -> {
                if (!option.text().isBlank()) {
                    dialogue.tell("system", option.text());
                }
                dialogue.respond("");
            }
            case "transfer" -> dialogue.sayThen(option.text(), () -> host.transfer(option.target(), "menu key " + key));
            case "hangup" -> dialogue.sayThen(option.text(), () -> host.hangUp("menu key " + key));
            case "step" -> {
                host.enterStep(option.target());
                dialogue.respond(option.text().isBlank() ? "" : Dialogue.sayExactly(option.text()));
            }
            default -> { }
        }
    }
}
