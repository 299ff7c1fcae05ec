package dev.switchboard.core.agent;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A keypad menu ("press 1 for sales, 2 for support"): each key runs its option at once, with no model
 * round trip; any other key gets {@code invalid} said and the menu stays. While a menu is set, every
 * key is an entry of its own.
 */
public record Menu(Map<String, MenuOption> options, String invalid) {

    public Menu {
        options = options == null ? Map.of() : new LinkedHashMap<>(options);
        for (String key : options.keySet()) {
            if (key.length() != 1 || "0123456789*#".indexOf(key.charAt(0)) < 0) {
                throw new IllegalArgumentException("menu keys are single keypad keys, got '" + key + "'");
            }
        }
        invalid = invalid == null || invalid.isBlank() ? "Sorry, that is not one of the options." : invalid;
    }
}
