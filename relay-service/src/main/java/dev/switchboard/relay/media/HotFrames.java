package dev.switchboard.relay.media;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * Streaming reads of the two messages that make up nearly all traffic: Twilio {@code media} and
 * Realtime {@code response.output_audio.delta}. They pull out the few strings the relay needs without
 * building a JSON tree per frame; every other message takes the ordinary tree path.
 */
public final class HotFrames {

    /** The fields of an audio delta the relay uses. */
    public record AudioDelta(String responseId, String itemId, String delta) {
    }

    private final JsonFactory json = new JsonFactory();

    /** The base64 payload if this is a Twilio {@code media} message, else null. Throws on malformed JSON. */
    public String twilioMediaPayload(String text) throws IOException {
        try (JsonParser p = json.createParser(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            String event = null;
            String payload = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if ("event".equals(name) && value == JsonToken.VALUE_STRING) {
                    event = p.getText();
                    if (!"media".equals(event)) {
                        return null;
                    }
                } else if ("media".equals(name) && value == JsonToken.START_OBJECT) {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String inner = p.currentName();
                        JsonToken v = p.nextToken();
                        if ("payload".equals(inner) && v == JsonToken.VALUE_STRING) {
                            payload = p.getText();
                        } else {
                            p.skipChildren();
                        }
                    }
                } else {
                    p.skipChildren();
                }
            }
            return "media".equals(event) ? payload : null;
        }
    }

    /** The delta if this is a {@code response.output_audio.delta} event, else null. Throws on malformed JSON. */
    public AudioDelta realtimeAudioDelta(String text) throws IOException {
        try (JsonParser p = json.createParser(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            String type = null;
            String responseId = null;
            String itemId = null;
            String delta = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (value != JsonToken.VALUE_STRING) {
                    p.skipChildren();
                    continue;
                }
                switch (name) {
                    case "type" -> {
                        type = p.getText();
                        if (!"response.output_audio.delta".equals(type)) {
                            return null;
                        }
                    }
                    case "response_id" -> responseId = p.getText();
                    case "item_id" -> itemId = p.getText();
                    case "delta" -> delta = p.getText();
                    default -> { }
                }
            }
            return "response.output_audio.delta".equals(type) ? new AudioDelta(responseId, itemId, delta) : null;
        }
    }
}
