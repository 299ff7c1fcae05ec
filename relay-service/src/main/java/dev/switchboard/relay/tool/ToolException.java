package dev.switchboard.relay.tool;

/** An error the model should read and act on (bad arguments, a refused action). */
public final class ToolException extends Exception {

    public ToolException(String message) {
        super(message);
    }
}
