package dev.switchboard.relay.tool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.agent.AgentProfile;
import dev.switchboard.core.agent.TransferTarget;
import java.util.Map;
import java.util.Optional;

/**
 * {@code transfer_call}: hands the caller to a person from the agent's transfer directory. The model
 * sees each target's name and description and can reach no one else (unless the agent allows any
 * number). The agent's handoff sentence plays in full before Twilio dials.
 */
public final class TransferCallTool implements Tool {

    public static final String NAME = "transfer_call";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description(AgentProfile agent) {
        StringBuilder b = new StringBuilder("Transfers the caller to a person. Use it when the caller asks for a human "
                + "or you cannot help. After calling it, tell the caller in one sentence that you are connecting them. Targets:");
        for (Map.Entry<String, TransferTarget> t : agent.transfer().targets().entrySet()) {
            b.append(" '").append(t.getKey()).append("': ").append(t.getValue().description()).append(';');
        }
        if (agent.transfer().allowAnyNumber()) {
            b.append(" or any phone number in E.164 form (+ and digits) that the caller gives.");
        }
        return b.toString();
    }

    @Override
    public ObjectNode parameters(AgentProfile agent) {
        ArgumentsSchema schema = ArgumentsSchema.object().string("target", "Who to transfer to.");
        if (!agent.transfer().allowAnyNumber()) {
            schema.with("target", target -> {
                ArrayNode names = target.putArray("enum");
                agent.transfer().targets().keySet().forEach(names::add);
            });
        }
        return schema.string("reason", "Why the caller is being transferred.")
                .string("summary", "Two or three sentences for the person taking the call: who is calling and what they need.")
                .required("target")
                .build();
    }

    @Override
    public JsonNode call(JsonNode arguments, ToolContext context) throws ToolException {
        String name = arguments.path("target").asText("");
        Optional<TransferTarget> target = context.agent().transfer().resolve(name);
        if (target.isEmpty()) {
            throw new ToolException("'" + name + "' is not a transfer target; choose one of "
                    + context.agent().transfer().targets().keySet());
        }
        String reason = arguments.path("reason").asText("");
        if (target.get().warm()) {
            if (!context.controls().startWarmTransfer(name, target.get(), reason, arguments.path("summary").asText(""))) {
                throw new ToolException("a warm transfer is already under way; wait for its answer");
            }
            return JSON.createObjectNode().put("status", "calling").put("target", name)
                    .put("instruction", "Tell the caller in one short sentence that you are checking whether " + name
                            + " can take the call, and stay with them. You will be told the answer.");
        }
        context.controls().transferAfterSpeaking(name, target.get(), reason.isBlank() ? "the caller asked for a person" : reason,
                arguments.path("summary").asText(""));
        return JSON.createObjectNode().put("status", "transferring").put("target", name)
                .put("instruction", "Tell the caller in one short sentence that you are connecting them now.");
    }
}
