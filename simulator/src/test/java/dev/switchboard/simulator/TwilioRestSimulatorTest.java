package dev.switchboard.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.simulator.twilio.TwilioRestSimulator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TwilioRestSimulatorTest {

    static final String SID = "AC" + "5".repeat(32);
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static TwilioRestSimulator twilio;

    @BeforeAll
    static void start() {
        twilio = new TwilioRestSimulator(SID, "secret").start(0);
    }

    @AfterAll
    static void stop() {
        twilio.close();
    }

    static HttpResponse<String> post(String path, String form, String password) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(twilio.baseUrl() + path))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form));
        if (password != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString((SID + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void callsAreCreatedUpdatedAndEndedLikeTwilio() throws Exception {
        String calls = "/2010-04-01/Accounts/" + SID + "/Calls.json";
        assertEquals(401, post(calls, "To=%2B15550001111&From=%2B15550002222&Twiml=%3CResponse%2F%3E", null).statusCode());
        assertEquals(401, post(calls, "To=%2B15550001111&From=%2B15550002222&Twiml=%3CResponse%2F%3E", "wrong").statusCode());
        HttpResponse<String> missing = post(calls, "To=%2B15550001111", "secret");
        assertEquals(400, missing.statusCode());
        HttpResponse<String> created = post(calls, "To=%2B15550001111&From=%2B15550002222&Twiml=%3CResponse%2F%3E", "secret");
        assertEquals(201, created.statusCode());
        JsonNode call = JSON.readTree(created.body());
        String sid = call.path("sid").asText();
        assertTrue(sid.matches("CA[0-9a-f]{32}"));
        assertEquals("queued", call.path("status").asText());
        assertEquals("outbound-api", call.path("direction").asText());

        String one = "/2010-04-01/Accounts/" + SID + "/Calls/" + sid + ".json";
        assertEquals(400, post(one, "Url=https%3A%2F%2Fx&Twiml=%3CResponse%2F%3E", "secret").statusCode());
        assertEquals(200, post(one, "Status=completed", "secret").statusCode());
        HttpResponse<String> again = post(one, "Status=completed", "secret");
        assertEquals(404, again.statusCode());
        assertEquals(20404, JSON.readTree(again.body()).path("code").asInt());
        assertEquals(404, post("/2010-04-01/Accounts/" + SID + "/Calls/CA" + "0".repeat(32) + ".json", "Status=completed", "secret").statusCode());
        assertTrue(twilio.requests().size() >= 7, "every request is recorded");
    }
}
