package dev.switchboard.relay.turn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.core.call.SavedConversation.Item;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConversationLogTest {

    @Test
    void aLateTranscriptKeepsThePlaceWhereTheCallerSpoke() {
        ConversationLog log = new ConversationLog();
        log.add("assistant", "Hello.");
        log.reserveCallerTurn("item_1");
        log.add("assistant", "Noted: blue.");
        log.addCallerTurn("item_1", "My favourite colour is blue.");

        assertEquals(List.of(new Item("assistant", "Hello."), new Item("user", "My favourite colour is blue."),
                new Item("assistant", "Noted: blue.")), log.recent());
    }

    @Test
    void aTurnStillWaitingForItsTranscriptIsNeitherSentNorSaved() {
        ConversationLog log = new ConversationLog();
        log.add("assistant", "Hello.");
        log.reserveCallerTurn("item_1");

        assertEquals(List.of(new Item("assistant", "Hello.")), log.recent());
        assertEquals(List.of(new Item("assistant", "Hello.")), log.snapshot("", "why", "", Instant.EPOCH).items());
    }

    @Test
    void aFailedTranscriptionLeavesNoHoleAndLaterTurnsGoOn() {
        ConversationLog log = new ConversationLog();
        log.reserveCallerTurn("item_1");
        log.dropReservation("item_1");
        log.addCallerTurn("item_2", "Are you there?");
        log.addCallerTurn("item_3", " ");

        assertEquals(List.of(new Item("user", "Are you there?")), log.recent());
    }

    @Test
    void theOldestItemsGiveWayOnALongCall() {
        ConversationLog log = new ConversationLog();
        for (int i = 0; i < ConversationLog.MAX_ITEMS + 5; i++) {
            log.add("user", "turn " + i);
        }
        List<Item> saved = log.snapshot("", "why", "", Instant.EPOCH).items();
        assertEquals(ConversationLog.MAX_ITEMS, saved.size());
        assertEquals("turn 5", saved.get(0).text());
        assertEquals(ConversationLog.MAX_RESTORED, log.recent().size());
        assertEquals("turn " + (ConversationLog.MAX_ITEMS + 4), log.recent().get(ConversationLog.MAX_RESTORED - 1).text());
    }
}
