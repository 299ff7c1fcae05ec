package dev.switchboard.relay.hold;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.relay.realtime.RealtimeLink;
import dev.switchboard.relay.realtime.RealtimeListener;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WarmRealtimeTest {

    private final Vertx vertx = Vertx.vertx();
    private final List<String> sessionHeard = new ArrayList<>();
    private final RealtimeListener session = new RealtimeListener() {
        @Override
        public void onRealtimeText(String json) {
            sessionHeard.add(json);
        }

        @Override
        public void onRealtimeClosed(int code, String reason) {
            sessionHeard.add("closed " + code);
        }
    };
    private final List<RealtimeListener> listeners = new ArrayList<>();
    private final List<FakeLink> links = new ArrayList<>();
    private final WarmRealtime warm = new WarmRealtime(vertx, session, listener -> {
        listeners.add(listener);
        FakeLink link = new FakeLink();
        links.add(link);
        return Future.succeededFuture(link);
    });

    @AfterEach
    void close() {
        vertx.close();
    }

    @Test
    void aWakeTakesTheWarmSocketAndFromThenOnTheSessionHearsIt() {
        warm.warmUp();
        warm.warmUp(); // one at a time
        assertEquals(1, links.size());
        listeners.get(0).onRealtimeText("{\"type\":\"session.created\"}");
        assertEquals(List.of(), sessionHeard, "nothing reaches the session before the wake");

        RealtimeLink taken = warm.take().result();
        assertSame(links.get(0), taken);
        assertFalse(warm.isWarm());
        listeners.get(0).onRealtimeText("{\"type\":\"response.created\"}");
        listeners.get(0).onRealtimeClosed(1011, "");
        assertEquals(List.of("{\"type\":\"response.created\"}", "closed 1011"), sessionHeard);
    }

    @Test
    void aWarmSocketTheServerClosesIsForgottenQuietlyAndTheNextOnsetOpensAnother() {
        warm.warmUp();
        links.get(0).open = false;
        listeners.get(0).onRealtimeClosed(1000, "idle");
        assertFalse(warm.isWarm());
        assertEquals(List.of(), sessionHeard, "the call goes on: the session never hears of it");

        warm.warmUp();
        assertEquals(2, links.size());
        assertSame(links.get(1), warm.take().result());
    }

    @Test
    void withNoWarmSocketAWakeConnectsForTheSessionItself() {
        RealtimeLink fresh = warm.take().result();
        assertSame(session, listeners.get(0));
        assertSame(links.get(0), fresh);
    }

    @Test
    void discardingClosesTheWarmSocket() {
        warm.warmUp();
        warm.discard();
        assertFalse(warm.isWarm());
        assertTrue(links.get(0).closedByUs);
    }

    static final class FakeLink implements RealtimeLink {
        boolean open = true;
        boolean closedByUs;

        @Override
        public void send(String json) {
        }

        @Override
        public void close() {
            closedByUs = true;
            open = false;
        }

        @Override
        public boolean isOpen() {
            return open;
        }
    }
}
