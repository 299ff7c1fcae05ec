package dev.switchboard.relay.live;

import dev.switchboard.core.events.Subscribers;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;
import software.amazon.awssdk.services.apigatewaymanagementapi.model.ApiGatewayManagementApiException;
import software.amazon.awssdk.services.apigatewaymanagementapi.model.GoneException;

/**
 * Live events to the WebSocket API's subscribers of a call (or of {@code *}) through the Management
 * API's {@code PostToConnection}. A connection API Gateway reports gone (410) is forgotten. Who follows
 * a call is read from DynamoDB at most once a second per call, not once per event.
 */
public final class ApiGatewaySink implements LiveEventSink {

    private static final Logger LOG = Logger.getLogger(ApiGatewaySink.class);
    static final long FOLLOWERS_TTL_NANOS = 1_000_000_000L;

    private record Followers(List<String> connections, long readAt) {
    }

    private final ApiGatewayManagementApiClient management;
    private final Subscribers subscribers;
    private final LongSupplier nanoTime;
    private final Map<String, Followers> cache = new ConcurrentHashMap<>();

    public ApiGatewaySink(ApiGatewayManagementApiClient management, Subscribers subscribers, LongSupplier nanoTime) {
        this.management = management;
        this.subscribers = subscribers;
        this.nanoTime = nanoTime;
    }

    @Override
    public void accept(String callSid, String json) {
        List<String> connections;
        try {
            connections = followers(callSid);
        } catch (RuntimeException e) {
            LOG.debugf("live events: subscribers of %s not read: %s", callSid, e.toString());
            return;
        }
        SdkBytes data = SdkBytes.fromUtf8String(json);
        for (String connection : connections) {
            try {
                management.postToConnection(b -> b.connectionId(connection).data(data));
            } catch (GoneException gone) {
                forget(connection);
            } catch (ApiGatewayManagementApiException e) {
                if (e.statusCode() == 410) {
                    forget(connection);
                } else {
                    LOG.debugf("live events: post to %s refused: %s", connection, e.toString());
                }
            } catch (RuntimeException e) {
                LOG.debugf("live events: post to %s failed: %s", connection, e.toString());
            }
        }
        if (json.contains("\"type\":\"session_end\"")) {
            cache.remove(callSid);
        }
    }

    private void forget(String connection) {
        subscribers.disconnected(connection);
        cache.clear();
    }

    private List<String> followers(String callSid) {
        long now = nanoTime.getAsLong();
        Followers known = cache.get(callSid);
        if (known == null || now - known.readAt() > FOLLOWERS_TTL_NANOS) {
            known = new Followers(subscribers.following(callSid), now);
            cache.put(callSid, known);
        }
        return known.connections();
    }
}
