package dev.switchboard.relay.turn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.core.call.SavedConversation.Item;
import java.nio.charset.StandardCharsets;
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
        // what is saved is what a new session is seeded with: the newest turns
        List<Item> saved = log.snapshot("", "why", "", Instant.EPOCH).items();
        assertEquals(log.recent(), saved);
        assertEquals(ConversationLog.MAX_RESTORED, log.recent().size());
        assertEquals("turn " + (ConversationLog.MAX_ITEMS + 4), log.recent().get(ConversationLog.MAX_RESTORED - 1).text());
    }

    @Test
    void theSavedConversationStaysFarUnderDynamoDbsItemLimitWhateverTheText() {
        ConversationLog log = new ConversationLog();
        String wide = "€".repeat(ConversationLog.MAX_TEXT); // 3 bytes a character in UTF-8
        for (int i = 0; i < ConversationLog.MAX_ITEMS; i++) {
            log.add("user", wide);
        }
        log.add("assistant", "the newest turn");
        List<Item> saved = log.snapshot("", "why", "", Instant.EPOCH).items();
        long bytes = saved.stream().mapToLong(i -> i.text().getBytes(StandardCharsets.UTF_8).length).sum();
        assertTrue(bytes <= ConversationLog.MAX_SAVED_BYTES, bytes + " bytes");
        assertTrue(saved.size() < ConversationLog.MAX_RESTORED, "older turns give way: " + saved.size());
        assertEquals("the newest turn", saved.get(saved.size() - 1).text());
    }
}
