package dev.switchboard.relay;

import dev.switchboard.relay.live.LiveEventSink;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Every live event the relay publishes in the tests (as the console and the WebSocket API would get them). */
@Singleton
public class RecordedLiveEvents implements LiveEventSink {

    private final List<String> events = new CopyOnWriteArrayList<>();

    @Override
    public void accept(String callSid, String json) {
        events.add(json);
    }

    public List<String> of(String callSid) {
        return events.stream().filter(e -> e.contains(callSid)).toList();
    }
}
