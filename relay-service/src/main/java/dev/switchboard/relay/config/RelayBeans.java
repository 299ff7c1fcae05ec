package dev.switchboard.relay.config;

import dev.switchboard.core.agent.AgentProfile;
import dev.switchboard.core.agent.AgentProfiles;
import dev.switchboard.core.call.CallStore;
import dev.switchboard.core.call.DynamoCallStore;
import dev.switchboard.core.call.DynamoClients;
import dev.switchboard.core.call.StreamTokens;
import dev.switchboard.core.config.SecretsManagerLookup;
import dev.switchboard.core.config.Settings;
import dev.switchboard.core.control.CallActions;
import dev.switchboard.core.control.HttpRelayClient;
import dev.switchboard.core.control.WarmTransfers;
import dev.switchboard.core.events.Subscribers;
import dev.switchboard.core.outbound.OutboundCalls;
import dev.switchboard.core.setup.HttpCallSetup;
import dev.switchboard.core.twilio.CallControl;
import dev.switchboard.core.twilio.TwilioCallControl;
import dev.switchboard.core.webhook.TwilioWebhooks;
import dev.switchboard.relay.call.SessionRegistry;
import dev.switchboard.relay.customtool.ToolServers;
import dev.switchboard.relay.events.EventWebhook;
import dev.switchboard.relay.hold.SpeechDetector;
import dev.switchboard.relay.live.ApiGatewaySink;
import dev.switchboard.relay.live.LiveEventSink;
import dev.switchboard.relay.live.LiveEvents;
import dev.switchboard.relay.realtime.RealtimeConnector;
import dev.switchboard.relay.store.CallRecorder;
import dev.switchboard.relay.tool.AnswerTransferTool;
import dev.switchboard.relay.tool.CollectDigitsTool;
import dev.switchboard.relay.tool.CompleteStepTool;
import dev.switchboard.relay.tool.CurrentTimeTool;
import dev.switchboard.relay.tool.EndCallTool;
import dev.switchboard.relay.tool.HoldTool;
import dev.switchboard.relay.tool.SendDtmfTool;
import dev.switchboard.relay.tool.ToolRegistry;
import dev.switchboard.relay.tool.TransferCallTool;
import io.quarkus.arc.DefaultBean;
import io.vertx.core.Vertx;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.net.InetAddress;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The relay's shared services, built once from {@link Settings}. */
public class RelayBeans {

    /** The settings from the environment (and Secrets Manager); the local stack replaces them with its own. */
    @Produces
    @Singleton
    @DefaultBean
    Settings settings(Config config) {
        return Settings.from(SecretsManagerLookup.wrap(name -> config.getOptionalValue(name, String.class)));
    }

    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    @Produces
    @Singleton
    @DefaultBean
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
    ToolServers toolServers(Config config, Clock clock) {
        return new ToolServers(SecretsManagerLookup.wrap(name -> config.getOptionalValue(name, String.class)), clock);
    }

    @Produces
    @Singleton
    ToolRegistry tools(ToolServers servers) {
        return new ToolRegistry(List.of(new CurrentTimeTool(), new EndCallTool(), new TransferCallTool(), new SendDtmfTool(),
                new CollectDigitsTool(), new CompleteStepTool(), new HoldTool(HoldTool.WAIT), new HoldTool(HoldTool.CONTINUE),
                new AnswerTransferTool()),
                servers);
    }

    /**
     * Its file is checked at start ({@link StartupWarmUp}); it loads in the background at the relay's first
     * hold (see {@link SpeechDetector.Model}), so an idle relay does not carry it.
     */
    @Produces
    @Singleton
    SpeechDetector.Model speechModel() {
        return SpeechDetector.Model.onDemand();
    }

    /** Loaded at start ({@link StartupWarmUp}) and every tool they name checked, so a typo fails the start, not a call. */
    @Produces
    @Singleton
    AgentProfiles agents(Settings settings, ToolRegistry tools) {
        AgentProfiles agents = AgentProfiles.load(settings.agentsDir());
        for (AgentProfile agent : agents.all()) {
            tools.forAgent(agent);
            List<String> missing = tools.missingVariables(agent);
            if (!missing.isEmpty()) {
                throw new IllegalArgumentException("agent '" + agent.name() + "' names environment variables that are not set: "
                        + String.join(", ", missing));
            }
            agent.steps().forEach(step -> tools.forStep(agent, step));
        }
        return agents;
    }

    @Produces
    @Singleton
    RealtimeConnector realtimeConnector(Vertx vertx,
                                        @ConfigProperty(name = "switchboard.realtime.start-timeout", defaultValue = "5s")
                                        Duration startTimeout) {
        return new RealtimeConnector(vertx, startTimeout);
    }

    @Produces
    @Singleton
    CallRecorder recorder(Vertx vertx, CallStore store, Clock clock,
                          @ConfigProperty(name = "switchboard.call-store.workers", defaultValue = "16") int workers) {
        return new CallRecorder(vertx, store, clock, workers);
    }

    @Produces
    @Singleton
    SessionRegistry sessionRegistry() {
        return new SessionRegistry();
    }

    @Produces
    @Singleton
    TwilioWebhooks webhooks(Settings settings, CallStore store, AgentProfiles agents, Clock clock, InternalToken token,
                            Config config) {
        return new TwilioWebhooks(settings, store, agents, new StreamTokens(new SecureRandom()), clock,
                new HttpRelayClient(token.value()),
                new HttpCallSetup(SecretsManagerLookup.wrap(name -> config.getOptionalValue(name, String.class)), clock));
    }

    /**
     * Made at start ({@link StartupWarmUp}): a relay whose first REST call comes during its shutdown (a
     * hand-over) must find the SDK loaded.
     */
    @Produces
    @Singleton
    CallControl callControl(Settings settings) {
        return new TwilioCallControl(settings.twilioAccountSid(), settings.twilioAuthToken(), settings.twilioApiBaseUrl());
    }

    /** {@code RELAY_INTERNAL_TOKEN}; unset closes the internal endpoints. */
    @Produces
    @Singleton
    @DefaultBean
    InternalToken internalToken(Config config) {
        return new InternalToken(SecretsManagerLookup.wrap(name -> config.getOptionalValue(name, String.class))
                .apply("RELAY_INTERNAL_TOKEN").orElse(""));
    }

    @Produces
    @Singleton
    CallActions callActions(CallStore store, CallControl twilio, AgentProfiles agents, Settings settings, Clock clock,
                            InternalToken token) {
        return new CallActions(store, twilio, agents, new HttpRelayClient(token.value()), settings, clock);
    }

    @Produces
    @Singleton
    EventWebhook eventWebhook(Config config, Clock clock) {
        return new EventWebhook(SecretsManagerLookup.wrap(name -> config.getOptionalValue(name, String.class)), clock);
    }

    /**
     * Live call events: to the WebSocket API's subscribers when {@code EVENTS_API_ENDPOINT} is set (on
     * AWS), and to any other sink deployed with the relay (the local console).
     */
    @Produces
    @Singleton
    LiveEvents liveEvents(Instance<LiveEventSink> others, @ConfigProperty(name = "EVENTS_API_ENDPOINT") Optional<String> endpoint,
                          DynamoDbClient dynamo, Settings settings) {
        List<LiveEventSink> sinks = new ArrayList<>(others.stream().toList());
        endpoint.filter(e -> !e.isBlank()).ifPresent(e -> sinks.add(new ApiGatewaySink(ApiGatewayManagementApiClient.builder()
                .endpointOverride(URI.create(e)).httpClientBuilder(UrlConnectionHttpClient.builder()).build(),
                new Subscribers(dynamo, settings.callsTable()), System::nanoTime)));
        return new LiveEvents(sinks);
    }

    void closeLiveEvents(@Disposes LiveEvents events) {
        events.close();
    }

    @Produces
    @Singleton
    WarmTransfers warmTransfers(OutboundCalls outbound, CallStore store, CallControl twilio, Clock clock) {
        return new WarmTransfers(outbound, store, twilio, clock);
    }

    @Produces
    @Singleton
    OutboundCalls outboundCalls(Settings settings, CallStore store, CallControl twilio, AgentProfiles agents, Clock clock) {
        return new OutboundCalls(settings, store, twilio, agents, new StreamTokens(new SecureRandom()), clock);
    }

    @Produces
    @Singleton
    RelayAddress relayAddress(@ConfigProperty(name = "RELAY_ADDRESS") Optional<String> configured,
                              @ConfigProperty(name = "quarkus.http.port") int port) {
        return new RelayAddress(configured.orElseGet(() -> {
            try {
                return "http://" + InetAddress.getLocalHost().getHostAddress() + ":" + port;
            } catch (Exception e) {
                return "http://127.0.0.1:" + port;
            }
        }));
    }
}
