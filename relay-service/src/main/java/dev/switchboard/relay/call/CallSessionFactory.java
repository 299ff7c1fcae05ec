package dev.switchboard.relay.call;

import dev.switchboard.core.agent.AgentProfiles;
import dev.switchboard.core.config.Settings;
import dev.switchboard.core.control.CallActions;
import dev.switchboard.relay.config.RelayAddress;
import dev.switchboard.relay.dtmf.EventWebhook;
import dev.switchboard.relay.media.HotFrames;
import dev.switchboard.relay.media.TwilioLink;
import dev.switchboard.relay.realtime.RealtimeConnector;
import dev.switchboard.relay.tool.ToolRegistry;
import jakarta.inject.Singleton;
import java.time.Clock;

/** Makes the session of each new media stream with this relay's shared services. */
@Singleton
public class CallSessionFactory {

    private final Settings settings;
    private final RealtimeConnector connector;
    private final CallRecorder recorder;
    private final AgentProfiles agents;
    private final ToolRegistry tools;
    private final SessionRegistry registry;
    private final RelayAddress address;
    private final Clock clock;
    private final CallActions actions;
    private final EventWebhook webhooks;
    private final java.time.Duration renewAfter;
    private final dev.switchboard.relay.hold.SpeechDetector.Model speechModel;
    private final dev.switchboard.relay.hold.HoldCosts holdCosts;
    private final HotFrames hotFrames = new HotFrames();

    public CallSessionFactory(Settings settings, RealtimeConnector connector, CallRecorder recorder, AgentProfiles agents,
                              ToolRegistry tools, SessionRegistry registry, RelayAddress address, Clock clock,
                              CallActions actions, EventWebhook webhooks,
                              @org.eclipse.microprofile.config.inject.ConfigProperty(name = "switchboard.realtime.renew-after",
                                      defaultValue = "55m") java.time.Duration renewAfter,
                              dev.switchboard.relay.hold.SpeechDetector.Model speechModel,
                              @org.eclipse.microprofile.config.inject.ConfigProperty(name = "switchboard.cost.input-audio-tokens-per-second",
                                      defaultValue = "10") double audioTokensPerSecond,
                              @org.eclipse.microprofile.config.inject.ConfigProperty(name = "switchboard.cost.input-audio-usd-per-million",
                                      defaultValue = "32") double usdPerMillion) {
        this.settings = settings;
        this.connector = connector;
        this.recorder = recorder;
        this.agents = agents;
        this.tools = tools;
        this.registry = registry;
        this.address = address;
        this.clock = clock;
        this.actions = actions;
        this.webhooks = webhooks;
        this.renewAfter = renewAfter;
        this.speechModel = speechModel;
        this.holdCosts = new dev.switchboard.relay.hold.HoldCosts(audioTokensPerSecond, usdPerMillion);
    }

    public CallSession create(TwilioLink twilio) {
        return new CallSession(settings, twilio, connector, recorder, agents, tools, registry, address.value(), clock, hotFrames, actions, webhooks, renewAfter, speechModel, holdCosts);
    }
}
