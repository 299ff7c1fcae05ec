package dev.switchboard.simulator.realtime;

/**
 * One scripted model response. Either speech (audio of a given length with its transcript) or a
 * function call. {@code userTranscript}, when set, is what the simulator reports it heard in the
 * caller's turn that led to this reply. {@code alongside}: a second function call in the same
 * response (the model may call several tools at once).
 */
public record Reply(Kind kind, String text, int audioMillis, String functionName, String argumentsJson,
                    String userTranscript, Reply alongside) {

    public enum Kind { SPEAK, CALL_FUNCTION, MCP_CALL }

    public static Reply speak(String text, int audioMillis) {
        return new Reply(Kind.SPEAK, text, audioMillis, null, null, null, null);
    }

    public static Reply callFunction(String name, String argumentsJson) {
        return new Reply(Kind.CALL_FUNCTION, null, 0, name, argumentsJson, null, null);
    }

    /**
     * The model calls a tool of an MCP server (the service runs it): {@code text} is the server label,
     * {@code functionName} the tool, {@code argumentsJson} its arguments, and the next scripted reply
     * the answer that follows; {@code output} is what the server returned.
     */
    public static Reply mcpCall(String serverLabel, String tool, String argumentsJson, String output) {
        return new Reply(Kind.MCP_CALL, serverLabel, 0, tool, argumentsJson, null, speak(output, 0));
    }

    /** Two function calls in one response. */
    public static Reply callFunctions(String name, String argumentsJson, String otherName, String otherArgumentsJson) {
        return new Reply(Kind.CALL_FUNCTION, null, 0, name, argumentsJson, null, callFunction(otherName, otherArgumentsJson));
    }

    public Reply heard(String transcript) {
        return new Reply(kind, text, audioMillis, functionName, argumentsJson, transcript, alongside);
    }
}
