package dev.switchboard.relay.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.agent.AgentProfile;
import dev.switchboard.core.call.CallRecord;
import dev.switchboard.core.webhook.TwilioWebhooks;
import dev.switchboard.relay.live.LiveEvents;
import io.vertx.core.Context;
import java.time.Clock;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The events of one call (session, transcript, keypad, hold, answering machine) on their way to the
 * agent's webhook and to live subscribers: each gets its type, the schema version {@code v}, the call it
 * belongs to and a timestamp. The JSON is the same for both; live subscribers see phone numbers masked
 * (last four digits). Nothing goes out before the call is known; nothing waits for a receiver.
 */
public final class CallEvents {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The event schema's version: fields may be added within a version, never renamed or removed. */
    public static final int VERSION = 1;
    /**
     * Events that carry a secret (a PIN collected by keypad): only the agent's own signed webhook gets
     * them; live subscribers (dashboards, the console) never do.
     */
    static final Set<String> WEBHOOK_ONLY = Set.of("secret_collected");

    private final EventWebhook webhook;
    private final LiveEvents live;
    private final Clock clock;
    private final Context context;
    private AgentProfile agent;
    private ObjectNode session;
    private ObjectNode maskedSession;
    private String callSid;
    private Consumer<JsonNode> onAction = answer -> { };

    public CallEvents(EventWebhook webhook, LiveEvents live, Clock clock, Context context) {
        this.webhook = webhook;
        this.live = live;
        this.clock = clock;
        this.context = context;
    }

    /** Empty fields for an event, to fill with {@code put}. */
    public static ObjectNode fields() {
        return JSON.createObjectNode();
    }

    /** The call is known: events may go out from now on; an action in an answer goes to {@code onAction}. */
    public void open(CallRecord call, AgentProfile agent, Consumer<JsonNode> onAction) {
        this.agent = agent;
        this.onAction = onAction;
        this.session = JSON.createObjectNode().put("id", call.callSid()).put("direction", call.direction().name().toLowerCase())
                .put("from_phone_number", call.from()).put("to_phone_number", call.to()).put("agent", agent.name());
        this.maskedSession = session.deepCopy().put("from_phone_number", TwilioWebhooks.mask(call.from()))
                .put("to_phone_number", TwilioWebhooks.mask(call.to()));
        this.callSid = call.callSid();
    }

    /** What a tool server may know of the call: the session without full numbers (last four digits kept), and the step. */
    public ObjectNode toolView(String step) {
        ObjectNode view = session == null ? JSON.createObjectNode() : session.deepCopy();
        view.put("from_phone_number", TwilioWebhooks.mask(view.path("from_phone_number").asText("")));
        view.put("to_phone_number", TwilioWebhooks.mask(view.path("to_phone_number").asText("")));
        return view.put("step", step);
    }

    public void emit(String type, ObjectNode fields) {
        if (session == null) {
            return;
        }
        ObjectNode event = JSON.createObjectNode().put("type", type).put("v", VERSION);
        event.setAll(fields);
        event.put("at", clock.instant().toString());
        if (live.wanted() && !WEBHOOK_ONLY.contains(type)) {
            live.publish(callSid, event.deepCopy().set("session", maskedSession).toString());
        }
        if (agent.webhook() != null) {
            event.set("session", session);
            webhook.post(agent.webhook(), event, context, onAction);
        }
    }
}
