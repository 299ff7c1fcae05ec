package dev.switchboard.local;

import dev.switchboard.core.call.CallTable;
import dev.switchboard.core.call.DynamoClients;
import dev.switchboard.core.config.SecretsManagerLookup;
import dev.switchboard.core.config.Settings;
import dev.switchboard.relay.config.InternalToken;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.Config;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * What the local stack changes in the relay: its settings point at whatever {@link LocalStack} started,
 * the call table is created if missing, and the internal endpoints have a known token unless one is
 * set. These beans replace the relay's defaults ({@code @DefaultBean} in the relay's {@code RelayBeans}).
 */
public class LocalBeans {

    @Produces
    @Singleton
    Settings settings(Config config, LocalStack local) {
        return local.apply(Settings.from(SecretsManagerLookup.wrap(name -> config.getOptionalValue(name, String.class))));
    }

    @Produces
    @Singleton
    DynamoDbClient dynamo(Settings settings) {
        DynamoDbClient client = DynamoClients.create(settings);
        CallTable.ensureExists(client, settings.callsTable());
        return client;
    }

    @Produces
    @Singleton
    InternalToken internalToken(Config config) {
        return new InternalToken(SecretsManagerLookup.wrap(name -> config.getOptionalValue(name, String.class))
                .apply("RELAY_INTERNAL_TOKEN").orElse(LocalStack.LOCAL_INTERNAL_TOKEN));
    }
}
