package dev.switchboard.local;

import dev.switchboard.core.call.CallTable;
import dev.switchboard.core.call.DynamoClients;
import dev.switchboard.core.config.SecretsManagerLookup;
import dev.switchboard.core.config.Settings;
import dev.switchboard.relay.config.InternalToken;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.Config;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * What the local stack changes in the relay: its settings point at whatever {@link LocalStack} started,
 * the call table is created if missing, and the internal endpoints get a token (see {@link #internalToken}). These beans replace the relay's defaults ({@code @DefaultBean} in the relay's {@code RelayBeans}).
 */
public class LocalBeans {

    @Produces
    @Singleton
    Settings settings(Config config, LocalStack local) {
        return local.apply(Settings.from(SecretsManagerLookup.wrap(name -> config.getOptionalValue(name, String.class))));
    }

    @Produces
    @Singleton
    DynamoDbClient dynamo(Settings settings, LocalStack local) {
        DynamoDbClient client = local.inProcessDynamo().orElseGet(() -> DynamoClients.create(settings));
        CallTable.ensureExists(client, settings.callsTable());
        return client;
    }

    /**
     * The token of the internal endpoints and of {@code /calls/actions} and {@code /calls/outbound}.
     * With no credentials of its own the local stack can only call the simulators, so a known token does
     * no harm; with a real Twilio or OpenAI account behind it, a published token would let anyone who
     * reaches the port spend that account, so a random one is made and printed once.
     */
    @Produces
    @Singleton
    InternalToken internalToken(Config config) {
        Function<String, Optional<String>> env = SecretsManagerLookup.wrap(name -> config.getOptionalValue(name, String.class));
        boolean realAccount = env.apply("TWILIO_ACCOUNT_SID").isPresent() || env.apply("OPENAI_API_KEY").isPresent();
        InternalToken token = chooseToken(env.apply("RELAY_INTERNAL_TOKEN"), realAccount, LocalBeans::randomToken);
        if (realAccount && env.apply("RELAY_INTERNAL_TOKEN").isEmpty()) {
            // on the console once, never in a record or an event; set RELAY_INTERNAL_TOKEN to choose it
            System.out.println("Real credentials are set and RELAY_INTERNAL_TOKEN is not: /calls/outbound and"
                    + " /calls/actions need this token for this run: " + token.value());
        }
        return token;
    }

    static InternalToken chooseToken(Optional<String> configured, boolean realAccount, Supplier<String> random) {
        return new InternalToken(configured.orElseGet(() -> realAccount ? random.get() : LocalStack.LOCAL_INTERNAL_TOKEN));
    }

    private static String randomToken() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
