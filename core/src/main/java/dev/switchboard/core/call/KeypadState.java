package dev.switchboard.core.call;

import java.util.List;

/** The {@code CALL#<CallSid> / DTMF} item: the entry being typed and the entries completed so far. */
public record KeypadState(String buffer, List<KeypadEntry> entries) {

    public static final KeypadState EMPTY = new KeypadState("", List.of());
}
