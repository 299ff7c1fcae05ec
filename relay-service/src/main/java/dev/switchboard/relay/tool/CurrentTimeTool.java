package dev.switchboard.relay.tool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.agent.AgentProfile;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.util.Locale;

/** {@code get_current_time}: the date and time in the agent's zone, or in a zone the caller names. */
public final class CurrentTimeTool implements Tool {

    public static final String NAME = "get_current_time";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description(AgentProfile agent) {
        return "Returns the current date and time. Without arguments it uses the business's own time zone.";
    }

    @Override
    public ObjectNode parameters(AgentProfile agent) {
        return ArgumentsSchema.object().string("timeZone", "An IANA time zone such as Europe/Paris; optional.").build();
    }

    @Override
    public JsonNode call(JsonNode arguments, ToolContext context) throws ToolException {
        ZoneId zone = context.agent().zone();
        String requested = arguments.path("timeZone").asText("");
        if (!requested.isBlank()) {
            try {
                zone = ZoneId.of(requested);
            } catch (Exception e) {
                throw new ToolException("unknown time zone '" + requested + "'; use an IANA name like America/New_York");
            }
        }
        ZonedDateTime now = ZonedDateTime.now(context.clock()).withZoneSameInstant(zone);
        return JSON.createObjectNode()
                .put("timeZone", zone.getId())
                .put("date", now.toLocalDate().toString())
                .put("time", now.toLocalTime().withNano(0).toString())
                .put("dayOfWeek", now.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH))
                .put("iso", now.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
    }
}
