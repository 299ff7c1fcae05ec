package dev.switchboard.relay.tool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.agent.AgentProfile;

/**
 * {@code wait_on_hold} and {@code continue_hold}: the other side asked the agent to hold (or what woke
 * it was only a recorded announcement). After this turn the relay closes the Realtime session, so a
 * 40-minute hold costs no tokens, and listens locally for a person to speak.
 */
public final class HoldTool implements Tool {

    public static final String WAIT = "wait_on_hold";
    public static final String CONTINUE = "continue_hold";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;

    public HoldTool(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description(AgentProfile agent) {
        return name.equals(WAIT)
                ? "Call when the other side asks you to hold or puts you on hold. Say nothing more; you will be woken "
                        + "with the conversation so far when a person speaks."
                : "Call when what woke you from hold is a recording or music, not a person: you go back to waiting."
                        + " Say which in 'heard': 'recording' for a spoken announcement, 'music' for a song or any music.";
    }

    @Override
    public ObjectNode parameters(AgentProfile agent) {
        ArgumentsSchema schema = ArgumentsSchema.object().string("reason", null);
        if (name.equals(CONTINUE)) {
            schema.string("heard", "recording or music").with("heard", p -> p.putArray("enum").add("recording").add("music"));
        }
        return schema.build();
    }

    @Override
    public JsonNode call(JsonNode arguments, ToolContext context) {
        String reason = arguments.path("reason").asText(name);
        if (name.equals(CONTINUE)) {
            context.controls().continueHold(reason, arguments.path("heard").asText("recording").equals("music"));
        } else {
            context.controls().holdAfterThisTurn(reason);
        }
        return JSON.createObjectNode().put("status", "holding");
    }
}
