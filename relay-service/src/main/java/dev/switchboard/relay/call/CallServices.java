package dev.switchboard.relay.call;

import dev.switchboard.core.agent.AgentProfiles;
import dev.switchboard.core.config.Settings;
import dev.switchboard.core.control.CallActions;
import dev.switchboard.core.control.WarmTransfers;
import dev.switchboard.relay.events.EventWebhook;
import dev.switchboard.relay.events.Prices;
import dev.switchboard.relay.hold.SpeechDetector;
import dev.switchboard.relay.live.LiveEvents;
import dev.switchboard.relay.media.HotFrames;
import dev.switchboard.relay.realtime.RealtimeConnector;
import dev.switchboard.relay.store.CallRecorder;
import dev.switchboard.relay.tool.ToolRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * The relay's shared services and settings that every call session uses; made once, by
 * {@link CallSessionFactory}. {@code startTimeout}: how long a media socket may stay open without a
 * valid {@code start}; {@code realtimeTimeout}: how long a new Realtime session may take to
 * answer its {@code session.update}; {@code prices}: for cost estimates; {@code draining}: true once the
 * relay is stopping and takes no new streams; {@code warmTransfers}: places and joins warm transfers' calls.
 */
public record CallServices(Settings settings, RealtimeConnector connector, CallRecorder recorder, AgentProfiles agents,
                           ToolRegistry tools, SessionRegistry registry, String relayAddress, Clock clock,
                           HotFrames hotFrames, CallActions actions, EventWebhook webhooks, LiveEvents live, Duration renewAfter,
                           SpeechDetector.Model speechModel, Prices prices, Duration startTimeout,
                           Duration realtimeTimeout, BooleanSupplier draining, WarmTransfers warmTransfers) {
}
