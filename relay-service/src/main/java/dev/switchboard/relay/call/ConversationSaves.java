package dev.switchboard.relay.call;

import dev.switchboard.core.call.SavedConversation;
import dev.switchboard.relay.store.CallRecorder;
import io.vertx.core.Vertx;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Saves the conversation as the call goes, so a relay that takes the call over after this one is lost
 * carries on from at most the last words in flight. Debounced: one write a second at most, however
 * fast the turns come; the saved item is bounded by {@code ConversationLog}.
 *
 * <p>One per call, used on the call's event loop only.
 */
final class ConversationSaves {

    static final long DEBOUNCE_MS = 1000;

    private final Vertx vertx;
    private final CallRecorder recorder;
    private final String callSid;
    private final Supplier<SavedConversation> snapshot;
    private final BooleanSupplier live;
    private long timer = -1;

    ConversationSaves(Vertx vertx, CallRecorder recorder, String callSid, Supplier<SavedConversation> snapshot, BooleanSupplier live) {
        this.vertx = vertx;
        this.recorder = recorder;
        this.callSid = callSid;
        this.snapshot = snapshot;
        this.live = live;
    }

    /** A turn was added: saved within {@link #DEBOUNCE_MS}. */
    void changed() {
        if (timer >= 0) {
            return;
        }
        timer = vertx.setTimer(DEBOUNCE_MS, t -> {
            timer = -1;
            if (live.getAsBoolean()) {
                recorder.saveConversation(callSid, snapshot.get());
            }
        });
    }

    void cancel() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
    }
}
