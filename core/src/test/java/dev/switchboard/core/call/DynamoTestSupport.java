package dev.switchboard.core.call;

import dev.switchboard.core.config.Settings;
import dev.switchboard.core.local.EmbeddedDynamo;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** DynamoDB Local in this JVM with a fresh table, for tests of anything that stores calls. */
public final class DynamoTestSupport implements AutoCloseable {

    private final EmbeddedDynamo dynamo;
    private final DynamoDbClient client;
    private final Settings settings;

    public DynamoTestSupport() {
        dynamo = EmbeddedDynamo.start(0);
        settings = Settings.from(name -> Optional.ofNullable(Map.of(
                "DYNAMODB_ENDPOINT", dynamo.endpoint().toString(),
                "CALLS_TABLE", "calls-test",
                "TWILIO_AUTH_TOKEN", "test-auth-token",
                "TWILIO_ACCOUNT_SID", "AC" + "1".repeat(32),
                "PUBLIC_BASE_URL", "https://switchboard.example.com",
                "RELAY_PUBLIC_URL", "wss://relay.example.com/media-stream").get(name)));
        client = DynamoClients.create(settings);
        CallTable.ensureExists(client, settings.callsTable());
    }

    public DynamoDbClient client() {
        return client;
    }

    public Settings settings() {
        return settings;
    }

    public DynamoCallStore store() {
        return new DynamoCallStore(client, settings.callsTable(), settings.recordRetention());
    }

    @Override
    public void close() {
        client.close();
        dynamo.close();
    }
}
