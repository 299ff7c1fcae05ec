package dev.switchboard.functions;

import dev.switchboard.core.call.CallTable;
import dev.switchboard.core.call.DynamoClients;
import dev.switchboard.core.config.Settings;
import dev.switchboard.core.local.EmbeddedDynamo;
import dev.switchboard.simulator.twilio.TwilioRestSimulator;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;
import java.util.Optional;

/** DynamoDB Local in the test JVM, with the calls table, for the functions under test. */
public class DynamoLocalResource implements QuarkusTestResourceLifecycleManager {

    static final String AUTH_TOKEN = "functions-test-token";
    /** Not configured: the functions take it from the API Gateway event's domain, as on AWS. */
    static final String PUBLIC_BASE = "https://hooks.example.com";

    /** Twilio's REST API for the functions under test; static so tests can read what it received. */
    static TwilioRestSimulator twilio;

    private EmbeddedDynamo dynamo;

    @Override
    public Map<String, String> start() {
        dynamo = EmbeddedDynamo.start(0);
        twilio = new TwilioRestSimulator("AC" + "2".repeat(32), AUTH_TOKEN).start(0);
        Map<String, String> config = Map.of(
                "TWILIO_API_BASE_URL", twilio.baseUrl().toString(),
                "AGENTS_DIR", "src/test/resources/agents",
                "RELAY_INTERNAL_TOKEN", "functions-internal-token",
                "DYNAMODB_ENDPOINT", dynamo.endpoint().toString(),
                "CALLS_TABLE", "calls-functions-test",
                "TWILIO_AUTH_TOKEN", AUTH_TOKEN,
                "TWILIO_ACCOUNT_SID", "AC" + "2".repeat(32),
                "RELAY_PUBLIC_URL", "wss://relay.example.com/media-stream");
        try (var client = DynamoClients.create(Settings.from(n -> Optional.ofNullable(config.get(n))))) {
            CallTable.ensureExists(client, "calls-functions-test");
        }
        return config;
    }

    @Override
    public void stop() {
        if (dynamo != null) {
            dynamo.close();
        }
        if (twilio != null) {
            twilio.close();
        }
    }
}
