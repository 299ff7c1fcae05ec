package dev.switchboard.relay.customtool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.agent.AgentProfile;
import dev.switchboard.core.agent.CustomTool;
import dev.switchboard.core.agent.TransferTarget;
import dev.switchboard.relay.tool.Tool;
import dev.switchboard.relay.tool.ToolContext;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A profile's own tool, run on the team's server (a signed POST) or as an AWS Lambda function. The call goes out at once and the model's turn is
 * not held: if the server has not answered after the tool's {@code fillerAfterMs}, the agent says the
 * filler; the answer's {@code result} then reaches the model as the function's output, and an
 * {@code action} ({@code say}, {@code transfer} to a directory target, {@code hangup}) runs after the
 * agent's words, as the built-ins do. Anything else (no answer in time, an error status, an answer that
 * is not JSON or too large) reaches the model as a tool error it can act on; the call goes on.
 *
 * <p>Request: {@code {"type":"tool_call","tool","call_id","arguments","call":{...},"at"}}; answer:
 * {@code {"result": any JSON, "action": {"type":"say","text"} | {"type":"transfer","target"} | {"type":"hangup","reason"}}}.
 */
public final class RemoteTool implements Tool {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final CustomTool tool;
    private final ToolServers servers;

    public RemoteTool(CustomTool tool, ToolServers servers) {
        this.tool = tool;
        this.servers = servers;
    }

    @Override
    public String name() {
        return tool.name();
    }

    @Override
    public String description(AgentProfile agent) {
        return tool.description();
    }

    @Override
    public ObjectNode parameters(AgentProfile agent) {
        return (ObjectNode) tool.parameters().deepCopy();
    }

    @Override
    public JsonNode call(JsonNode arguments, ToolContext context) {
        ObjectNode request = JSON.createObjectNode().put("type", "tool_call").put("tool", tool.name())
                .put("call_id", context.callId());
        request.set("arguments", arguments);
        request.set("call", context.call());
        request.put("at", context.clock().instant().toString());
        Duration timeout = Duration.ofMillis(tool.timeoutMs());
        CompletableFuture<ToolServers.Answer> answer = tool.http() != null
                ? servers.post(tool.http(), request.toString(), timeout)
                : servers.invoke(tool.lambda(), request.toString(), timeout);
        // the filler plays only while the answer is still awaited (both checked on the call's loop)
        CompletableFuture.delayedExecutor(tool.fillerAfterMs(), TimeUnit.MILLISECONDS, context.callLoop()).execute(() -> {
            if (!answer.isDone()) {
                context.controls().sayNow(tool.filler());
            }
        });
        answer.thenAcceptAsync(a -> context.complete().accept(interpret(a, context)), context.callLoop());
        return null;
    }

    /** The model's view of an answer; runs an action the answer asks for. On the call's loop. */
    private JsonNode interpret(ToolServers.Answer answer, ToolContext context) {
        if (answer.problem() != null) {
            return error("the " + tool.name() + " tool failed: " + answer.problem());
        }
        if (answer.status() < 200 || answer.status() > 299) {
            return error("the " + tool.name() + " tool answered with HTTP status " + answer.status());
        }
        JsonNode body;
        try {
            body = JSON.readTree(answer.body());
        } catch (Exception e) {
            return error("the " + tool.name() + " tool gave an answer that is not JSON");
        }
        if (body == null || !body.isObject()) {
            return error("the " + tool.name() + " tool gave an answer that is not a JSON object");
        }
        Optional<String> refused = act(body.path("action"), context);
        JsonNode result = body.has("result") ? body.get("result") : JSON.nullNode();
        if (refused.isPresent()) {
            ObjectNode out = JSON.createObjectNode();
            out.set("result", result);
            return out.put("action_refused", refused.get());
        }
        return result;
    }

    /** Runs the answer's action, if any; empty when done (or none), else why it was not. */
    private Optional<String> act(JsonNode action, ToolContext context) {
        if (!action.isObject()) {
            return Optional.empty();
        }
        switch (action.path("type").asText("")) {
            case "say" -> {
                if (action.path("text").asText("").isBlank()) {
                    return Optional.of("say needs a text");
                }
                context.controls().sayNow(action.path("text").asText());
            }
            case "transfer" -> {
                String name = action.path("target").asText("");
                Optional<TransferTarget> target = context.agent().transfer().resolve(name);
                if (target.isEmpty()) {
                    return Optional.of("transfer target '" + name + "' is not in the agent's directory");
                }
                context.controls().transferAfterSpeaking(name, target.get(), "requested by the " + tool.name() + " tool", "");
            }
            case "hangup" -> context.controls().hangUpAfterSpeaking(action.path("reason").asText("requested by the "
                    + tool.name() + " tool"));
            default -> {
                return Optional.of("unknown action '" + action.path("type").asText("") + "'");
            }
        }
        return Optional.empty();
    }

    private static JsonNode error(String message) {
        return JSON.createObjectNode().put("error", message + "; tell the caller you could not do it now");
    }
}
