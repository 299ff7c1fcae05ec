package dev.switchboard.functions;

import dev.switchboard.core.agent.AgentProfiles;
import dev.switchboard.core.call.CallStore;
import dev.switchboard.core.call.DynamoCallStore;
import dev.switchboard.core.call.DynamoClients;
import dev.switchboard.core.call.StreamTokens;
import dev.switchboard.core.config.SecretsManagerLookup;
import dev.switchboard.core.config.Settings;
import dev.switchboard.core.control.CallActions;
import dev.switchboard.core.control.HttpRelayClient;
import dev.switchboard.core.control.RelayClient;
import dev.switchboard.core.events.Subscribers;
import dev.switchboard.core.outbound.OutboundCalls;
import dev.switchboard.core.setup.HttpCallSetup;
import dev.switchboard.core.twilio.CallControl;
import dev.switchboard.core.twilio.TwilioCallControl;
import dev.switchboard.core.webhook.TwilioWebhooks;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.security.SecureRandom;
import java.time.Clock;
import org.eclipse.microprofile.config.Config;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The functions' services. Built once per Lambda container (and captured in the SnapStart
 * snapshot), from the same variables as every other runtime.
 */
public class FunctionBeans {

    @Produces
    @Singleton
    Settings settings(Config config) {
        return Settings.from(SecretsManagerLookup.wrap(name -> config.getOptionalValue(name, String.class)));
    }

    @Produces
    @Singleton
    DynamoDbClient dynamo(Settings settings) {
        return DynamoClients.create(settings);
    }

    @Produces
    @Singleton
    CallStore callStore(DynamoDbClient dynamo, Settings settings) {
        return new DynamoCallStore(dynamo, settings.callsTable(), settings.recordRetention());
    }

    @Produces
    @Singleton
    @Startup // a mistake in a profile fails the function's init, not a call
    AgentProfiles agents(Settings settings) {
        return AgentProfiles.load(settings.agentsDir());
    }

    @Produces
    @Singleton
    CallControl callControl(Settings settings) {
        return new TwilioCallControl(settings.twilioAccountSid(), settings.twilioAuthToken(), settings.twilioApiBaseUrl());
    }

    @Produces
    @Singleton
    CallActions callActions(CallStore store, CallControl twilio, AgentProfiles agents, Settings settings, RelayClient relays) {
        return new CallActions(store, twilio, agents, relays, settings, Clock.systemUTC());
    }

    @Produces
    @Singleton
    RelayClient relayClient(Config config) {
        String token = SecretsManagerLookup.wrap(name -> config.getOptionalValue(name, String.class))
                .apply("RELAY_INTERNAL_TOKEN").orElse("");
        return new HttpRelayClient(token);
    }

    @Produces
    @Singleton
    OutboundCalls outboundCalls(Settings settings, CallStore store, CallControl twilio, AgentProfiles agents) {
        return new OutboundCalls(settings, store, twilio, agents, new StreamTokens(new SecureRandom()), Clock.systemUTC());
    }

    @Produces
    @Singleton
    Subscribers subscribers(DynamoDbClient dynamo, Settings settings) {
        return new Subscribers(dynamo, settings.callsTable());
    }

    @Produces
    @Singleton
    TwilioWebhooks webhooks(Settings settings, CallStore store, AgentProfiles agents, RelayClient relays, Config config) {
        return new TwilioWebhooks(settings, store, agents, new StreamTokens(new SecureRandom()), Clock.systemUTC(), relays,
                new HttpCallSetup(SecretsManagerLookup.wrap(name -> config.getOptionalValue(name, String.class)), Clock.systemUTC()));
    }
}
