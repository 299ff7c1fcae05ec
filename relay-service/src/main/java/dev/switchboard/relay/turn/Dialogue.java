package dev.switchboard.relay.turn;

/** What the call's parts (keypad, menus, hold, transfers) may ask of the conversation with the model. */
public interface Dialogue {

    /** A conversation item the model must see: sent now, and kept for the next session. */
    void tell(String role, String text);

    /** A response with one-off instructions ("" for none), now or once the current one ends. */
    void respond(String instructions);

    /** The model should answer what it was just told: now, or once the current response ends. */
    void followUp();

    /** Says a fixed text (if any), then runs {@code action} once the caller has heard it. */
    void sayThen(String text, Runnable action);

    static String sayExactly(String text) {
        return "Say exactly this, and nothing else: " + text;
    }
}
