package dev.switchboard.relay.call;

import dev.switchboard.core.agent.AgentProfiles;
import dev.switchboard.core.config.Settings;
import dev.switchboard.core.control.CallActions;
import dev.switchboard.core.control.WarmTransfers;
import dev.switchboard.relay.config.RelayAddress;
import dev.switchboard.relay.events.EventWebhook;
import dev.switchboard.relay.events.Prices;
import dev.switchboard.relay.hold.SpeechDetector;
import dev.switchboard.relay.live.LiveEvents;
import dev.switchboard.relay.media.HotFrames;
import dev.switchboard.relay.media.TwilioLink;
import dev.switchboard.relay.realtime.RealtimeConnector;
import dev.switchboard.relay.store.CallRecorder;
import dev.switchboard.relay.tool.ToolRegistry;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Makes the session of each new media stream with this relay's shared services. */
@Singleton
public class CallSessionFactory {

    private final CallServices services;

    public CallSessionFactory(Settings settings, RealtimeConnector connector, CallRecorder recorder, AgentProfiles agents,
                              ToolRegistry tools, SessionRegistry registry, RelayAddress address, Clock clock,
                              CallActions actions, EventWebhook webhooks, LiveEvents live,
                              @ConfigProperty(name = "switchboard.realtime.renew-after", defaultValue = "55m") Duration renewAfter,
                              SpeechDetector.Model speechModel,
                              Prices prices,
                              @ConfigProperty(name = "switchboard.stream.start-timeout", defaultValue = "5s") Duration startTimeout,
                              @ConfigProperty(name = "switchboard.realtime.start-timeout", defaultValue = "5s")
                              Duration realtimeTimeout,
                              RelayShutdown shutdown, WarmTransfers warmTransfers) {
        this.services = new CallServices(settings, connector, recorder, agents, tools, registry, address.value(), clock,
                new HotFrames(), actions, webhooks, live, renewAfter, speechModel, prices,
                startTimeout, realtimeTimeout, shutdown::draining, warmTransfers);
    }

    public CallSession create(TwilioLink twilio) {
        return new CallSession(services, twilio);
    }
}
