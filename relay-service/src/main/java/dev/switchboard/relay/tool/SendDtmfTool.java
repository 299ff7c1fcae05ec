package dev.switchboard.relay.tool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.agent.AgentProfile;
import dev.switchboard.relay.dtmf.DtmfTones;

/**
 * {@code send_dtmf}: presses keys on the other side's phone menu, as in-band tones (a media stream
 * has no message for DTMF). The tool answers once the tones have played, so the agent stays quiet
 * while they do.
 */
public final class SendDtmfTool implements Tool {

    public static final String NAME = "send_dtmf";
    static final int TONE_MS = 100;
    static final int GAP_MS = 100;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description(AgentProfile agent) {
        return "Presses keys on the phone, e.g. to answer a phone menu. Keys: 0-9, *, #; w waits half a second, "
                + "W waits a second (e.g. '1w2' or '1234#').";
    }

    @Override
    public ObjectNode parameters(AgentProfile agent) {
        return ArgumentsSchema.object().string("digits", "The keys to press, in order.")
                .with("digits", p -> p.put("pattern", "^[0-9*#A-DwW]{1,64}$")).required("digits").build();
    }

    @Override
    public JsonNode call(JsonNode arguments, ToolContext context) throws ToolException {
        String digits = arguments.path("digits").asText("");
        if (digits.length() > 64 || !DtmfTones.isValid(digits)) {
            throw new ToolException("digits may hold 0-9, *, #, A-D, w and W only (at most 64), got '" + digits + "'");
        }
        byte[] tones = DtmfTones.generate(digits, TONE_MS, GAP_MS);
        context.controls().pressKeys(digits, tones, () -> context.complete().accept(
                JSON.createObjectNode().put("sent", digits).put("status", "the keys were pressed")));
        return null;
    }
}
