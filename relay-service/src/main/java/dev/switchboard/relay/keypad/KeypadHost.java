package dev.switchboard.relay.keypad;

import dev.switchboard.core.agent.Menu;

/** What the keypad needs from its call beyond the conversation: whether it is live, and the call's actions. */
public interface KeypadHost {

    /** The call is talking to a model now (not connecting, on hold or ended). */
    boolean live();

    /** A first key while the agent speaks interrupts it, exactly as speech would. */
    void interruptAgent();

    /** The menu in force (the flow step's, or the agent's); null for none. */
    Menu menu();

    void transfer(String target, String reason);

    void hangUp(String reason);

    /** Moves the flow to the named step (a menu option of action {@code step}). */
    void enterStep(String step);

    /** The flow step's number was collected: the flow moves on. */
    void stepCollected();
}
