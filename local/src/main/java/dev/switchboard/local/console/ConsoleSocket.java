package dev.switchboard.local.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.agent.AgentProfile;
import dev.switchboard.core.agent.AgentProfiles;
import dev.switchboard.core.control.CallActionRequest;
import dev.switchboard.core.control.CallActionResult;
import dev.switchboard.core.control.CallActions;
import dev.switchboard.relay.config.InternalToken;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.common.annotation.Blocking;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * {@code /console/live}: the local stack's live call events and call commands, for the browser
 * console (and any script). Events are the JSON the WebSocket API and the agent's webhook carry.
 * Commands: {@code {"action":"hangup"|"say"|"transfer"|"note", "callSid":..., "text"/"target"/"reason"}},
 * answered with {@code {"type":"command_result", ...}}. Loopback and the local token
 * ({@code ?token=}) only.
 */
@WebSocket(path = "/console/live")
public class ConsoleSocket {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final Set<String> COMMANDS = Set.of("hangup", "say", "transfer", "note");

    private final ConsoleAccess access;
    private final CallActions actions;

    private final AgentProfiles agents;

    public ConsoleSocket(InternalToken token, CallActions actions, AgentProfiles agents) {
        this.access = new ConsoleAccess(token);
        this.agents = agents;
        this.actions = actions;
    }

    @OnOpen
    public void onOpen(WebSocketConnection connection) {
        String refusal = access.refusal(connection.handshakeRequest().remoteAddress(), tokenOf(connection.handshakeRequest().query()));
        if (refusal != null) {
            connection.close(new CloseReason(1008, refusal)).subscribe().with(x -> { }, e -> { });
            return;
        }
        connection.userData().put(ConsoleBroadcast.ALLOWED, true);
        ObjectNode ready = JSON.createObjectNode().put("type", "console_ready");
        ArrayNode phoneable = ready.putArray("agents"); // the profiles the browser phone can call: those with a number
        agents.all().stream().filter(a -> !a.numbers().isEmpty()).map(AgentProfile::name).sorted().forEach(phoneable::add);
        connection.sendText(ready.toString()).subscribe().with(x -> { }, e -> { });
    }

    @OnTextMessage
    @Blocking
    public String onCommand(String message, WebSocketConnection connection) {
        if (!Boolean.TRUE.equals(connection.userData().get(ConsoleBroadcast.ALLOWED))) {
            return null;
        }
        ObjectNode answer = JSON.createObjectNode().put("type", "command_result");
        JsonNode command;
        try {
            command = JSON.readTree(message);
        } catch (Exception e) {
            return answer.put("ok", false).put("error", "a command is a JSON object").toString();
        }
        String action = command.path("action").asText("");
        answer.put("action", action).put("callSid", command.path("callSid").asText(""));
        if (!COMMANDS.contains(action)) {
            return answer.put("ok", false).put("error", "action must be one of " + COMMANDS).toString();
        }
        CallActionResult result = actions.handle(new CallActionRequest(command.path("callSid").asText(null), action,
                command.path("target").asText(null), command.path("text").asText(null),
                command.path("reason").asText("from the local console")));
        answer.put("ok", result.ok()).put(result.ok() ? "message" : "error", result.message());
        return answer.toString();
    }

    static String tokenOf(String query) {
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            if (pair.startsWith("token=")) {
                return URLDecoder.decode(pair.substring(6), StandardCharsets.UTF_8);
            }
        }
        return null;
    }
}
