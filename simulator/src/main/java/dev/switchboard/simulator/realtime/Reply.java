package dev.switchboard.simulator.realtime;

/**
 * One scripted model response. Either speech (audio of a given length with its transcript) or a
 * function call. {@code userTranscript}, when set, is what the simulator reports it heard in the
 * caller's turn that led to this reply.
 */
public record Reply(Kind kind, String text, int audioMillis, String functionName, String argumentsJson,
                    String userTranscript) {

    public enum Kind { SPEAK, CALL_FUNCTION }

    public static Reply speak(String text, int audioMillis) {
        return new Reply(Kind.SPEAK, text, audioMillis, null, null, null);
    }

    public static Reply callFunction(String name, String argumentsJson) {
        return new Reply(Kind.CALL_FUNCTION, null, 0, name, argumentsJson, null);
    }

    public Reply heard(String transcript) {
        return new Reply(kind, text, audioMillis, functionName, argumentsJson, transcript);
    }
}
