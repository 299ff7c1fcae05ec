package dev.switchboard.relay;

import static dev.switchboard.relay.RelayHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.simulator.realtime.Reply;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A profile's MCP server is handed to the Realtime session, which calls it; the call keeps what it did. */
@QuarkusTest
class McpTest extends RelayTestBase {

    @Test
    void theSessionGetsTheServerAndItsCallsAreKeptOnTheRecord() {
        harness.realtime().speed(4.0);
        harness.realtime().clearRecords();
        RelayHarness.Call call = harness.call(List.of(Reply.speak("Hello.", 300),
                Reply.mcpCall("crm", "lookup_customer", "{\"phone\":\"+15551230000\"}", "Ada Lovelace, premium").heard("It's Ada."),
                Reply.speak("Hello Ada, how can I help?", 300)), 4.0, "+15554445555");
        // the simulator marks the session configured a moment before it records the event
        await(Duration.ofSeconds(5), () -> !harness.realtime().events("session.update").isEmpty(), "the session.update");
        JsonNode tools = harness.realtime().events("session.update").get(0).json().path("session").path("tools");
        JsonNode mcp = null;
        for (JsonNode t : tools) {
            if ("mcp".equals(t.path("type").asText())) {
                mcp = t;
            }
        }
        assertTrue(mcp != null, tools.toString());
        assertEquals("crm", mcp.path("server_label").asText());
        assertEquals("https://mcp.example.com/crm", mcp.path("server_url").asText());
        assertEquals("[\"lookup_customer\"]", mcp.path("allowed_tools").toString());
        assertEquals("never", mcp.path("require_approval").asText());
        assertEquals("Bearer test-mcp-token", mcp.path("headers").path("Authorization").asText(), "the header's value from the environment");
        assertEquals(List.of(), harness.realtime().rejected(), "the simulator accepts the mcp tool shape");

        await(Duration.ofSeconds(5), () -> call.caller().heardMillis() >= 300, "the greeting");
        call.caller().play(BadInputTest.utterance(31));
        await(Duration.ofSeconds(10), () -> calls.find(call.callSid()).orElseThrow().transcript().stream()
                .anyMatch(l -> l.speaker().equals("tool")), "the MCP call on the transcript");
        String line = calls.find(call.callSid()).orElseThrow().transcript().stream().filter(l -> l.speaker().equals("tool"))
                .findFirst().orElseThrow().text();
        assertEquals("crm.lookup_customer returned Ada Lovelace, premium", line);
        await(Duration.ofSeconds(5), () -> call.caller().heardMillis() >= 600, "the answer after the call");
        assertTrue(calls.find(call.callSid()).orElseThrow().toString().contains("Ada Lovelace")
                && !calls.find(call.callSid()).orElseThrow().toString().contains("test-mcp-token"), "the token is not on the record");
        call.caller().hangUp();
    }
}
