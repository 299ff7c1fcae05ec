package dev.switchboard.relay.keypad;

import dev.switchboard.core.agent.Menu;
import dev.switchboard.core.agent.MenuOption;
import dev.switchboard.relay.events.CallEvents;
import dev.switchboard.relay.turn.Dialogue;

/**
 * A key pressed in a menu: its option runs at once, without a model round trip; the model is told
 * what happened so the conversation stays coherent, and watchers get a {@code menu_choice} event.
 */
final class MenuKeys {

    private final Dialogue dialogue;
    private final KeypadHost host;
    private final CallEvents events;

    MenuKeys(Dialogue dialogue, KeypadHost host, CallEvents events) {
        this.dialogue = dialogue;
        this.host = host;
        this.events = events;
    }

    void press(Menu menu, String key) {
        MenuOption option = menu.options().get(key);
        var choice = CallEvents.fields().put("key", key).put("valid", option != null);
        if (option != null) {
            choice.put("action", option.action());
            if (option.target() != null) {
                choice.put("target", option.target());
            }
        }
        events.emit("menu_choice", choice);
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
