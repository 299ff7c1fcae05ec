package dev.switchboard.relay.callee;

import dev.switchboard.core.agent.CalleeSettings;
import dev.switchboard.core.call.Outcome;
import dev.switchboard.relay.events.CallEvents;
import dev.switchboard.relay.store.CallRecorder;
import dev.switchboard.relay.turn.Dialogue;
import io.vertx.core.Vertx;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * On a call the agent placed, the model answers nothing on its own until the gate knows who answered:
 * each turn of the other side is transcribed, and once the line has been quiet for the settle time the
 * words heard since the last decision are classified ({@link CalleeKind}). A person opens the gate for
 * good (the model answers at once, and on its own from then on); a phone menu gets one response, after
 * the prompt ends, asking the model to choose a key ({@link PhoneTree} notices a prompt that comes back
 * and, past the profile's limit, gives up); a screener gets the agent's name and reason (or a
 * hang-up); a voicemail greeting goes to the profile's answering-machine rule; a queue recording gets a
 * nudge to wait on hold; a company greeting waits for the next words. Twilio's verdict, when asked
 * for, decides at once.
 *
 * <p>One per call, on the call's event loop.
 */
public final class CalleeGate {

    private static final Logger LOG = Logger.getLogger(CalleeGate.class);

    enum State { OFF, DECIDING, MENU, OPEN, DONE }

    private final Vertx vertx;
    private final String callSid;
    private final CalleeSettings settings;
    private final CalleeHost host;
    private final CallEvents events;
    private final CallRecorder recorder;
    private final boolean canHold;
    private final PhoneTree tree = new PhoneTree();
    private final StringBuilder pending = new StringBuilder();
    private State state;
    private long settleTimer = -1;
    private boolean quiet = true;
    private int awaitingTranscripts;
    /** Turns ended since the last decision: one whose words could not be transcribed still counts. */
    private int turnsUndecided;

    /** @param active a call the agent placed, does not speak first on, and whose callee is transcribed */
    public CalleeGate(Vertx vertx, String callSid, CalleeSettings settings, boolean active, boolean canHold, CalleeHost host,
                      CallEvents events, CallRecorder recorder) {
        this.vertx = vertx;
        this.callSid = callSid;
        this.settings = settings;
        this.host = host;
        this.events = events;
        this.recorder = recorder;
        this.canHold = canHold;
        this.state = active && settings.listenFirst() ? State.DECIDING : State.OFF;
    }

    /** Whether the model may answer turns on its own (the session's {@code create_response}). */
    public boolean autoRespond() {
        return state == State.OFF || state == State.OPEN;
    }

    /** Before a person is reached: keys pressed are answered by the next prompt, not by the model going on. */
    public boolean navigatingMenu() {
        return gating();
    }

    /** The other side started speaking: a prompt in progress is not over yet. */
    public void speechStarted() {
        quiet = false;
        cancelTimer();
    }

    /** The other side stopped speaking, and its turn was committed for transcription. */
    public void turnEnded() {
        if (!gating()) {
            return;
        }
        quiet = true;
        awaitingTranscripts++;
        turnsUndecided++;
        cancelTimer();
        settleTimer = vertx.setTimer(settings.menuSettleMs(), t -> {
            settleTimer = -1;
            decideIfSettled();
        });
    }

    /** A turn of the other side was transcribed ("" when its transcription failed). */
    public void heard(String words) {
        if (!gating()) {
            return;
        }
        awaitingTranscripts = Math.max(0, awaitingTranscripts - 1);
        if (!words.isBlank()) {
            pending.append(pending.length() == 0 ? "" : " ").append(words.trim());
        }
        if (settleTimer < 0) {
            decideIfSettled();
        }
    }

    /** Twilio's answering-machine verdict: a person opens the gate at once; a menu is navigated; machines are the host's. */
    public void verdict(String answeredBy) {
        if (!gating()) {
            return;
        }
        switch (answeredBy) {
            case "human" -> open("Twilio's verdict: human");
            case "machine_end_other" -> state = State.MENU;
            case "unknown" -> { }
            default -> close(); // a mailbox or a fax: the answering-machine rule has it
        }
    }

    /** Keys the agent pressed (send_dtmf): part of the path through the menu, kept on the record. */
    public void keysSent(String keys) {
        if (state == State.OFF) {
            return;
        }
        tree.keysSent(keys);
        recorder.transcript(callSid, "keys", keys);
        events.emit("menu_keys", CallEvents.fields().put("keys", keys));
    }

    private boolean gating() {
        return state == State.DECIDING || state == State.MENU;
    }

    private void decideIfSettled() {
        if (!quiet || awaitingTranscripts > 0 || turnsUndecided == 0 || !gating()) {
            return;
        }
        turnsUndecided = 0;
        if (pending.length() == 0) {
            // speech no transcript came for: answering it is what the agent did before the gate existed
            open("heard speech that could not be transcribed");
            return;
        }
        String words = pending.toString();
        pending.setLength(0);
        CalleeKind kind = CalleeKind.of(words);
        switch (kind) {
            case PERSON -> open("heard a person"); // their words stay out of the log: they may say anything
            case MENU -> menu(words);
            case SCREENER -> screener();
            case VOICEMAIL -> {
                identified("voicemail");
                close();
                host.voicemailHeard();
            }
            case GREETING -> identified("greeting"); // a person or a recording: the next words decide
            case RECORDING -> {
                identified("recording");
                if (canHold) {
                    host.respond("A recorded message (not a person) said: \"" + words + "\". If it asks you to wait,"
                            + " call wait_on_hold now; otherwise say nothing.");
                }
            }
            default -> { }
        }
    }

    private void menu(String words) {
        if (state != State.MENU) {
            identified("menu");
        }
        state = State.MENU;
        PhoneTree.Prompt prompt = tree.heard(words);
        events.emit("menu_prompt", CallEvents.fields().put("text", words).put("repeats", prompt.repeats()));
        if (prompt.repeats() >= settings.menuRepeats()) {
            LOG.infof("call %s: the phone menu came back %d times; giving up", callSid, prompt.repeats());
            close();
            host.giveUp(new Outcome("failed", "phone menu: the same prompt came back " + prompt.repeats()
                    + " times without reaching a person", Optional.empty()));
        } else if (prompt.repeats() > 0) {
            host.respond("The phone menu said the same thing again (\"" + words + "\"): the key you chose did not move the call"
                    + " on. Try another way: a different option, 0 for an operator, or say \"representative\".");
        } else {
            host.respond("An automated phone menu said: \"" + words + "\". Choose the option that leads toward your task and"
                    + " press its key with send_dtmf. Do not speak to the menu; if it asks for a spoken answer, say only that.");
        }
    }

    private void screener() {
        identified("screener");
        if (settings.screener().equals("hangup")) {
            close();
            host.giveUp(new Outcome("screened", "a call-screening assistant answered; the profile hangs up", Optional.empty()));
            return;
        }
        host.respond(settings.screenerReply().isEmpty()
                ? "A call-screening assistant answered and asks who is calling and why. In one short sentence say who you are"
                  + " and why you are calling, then stop and wait for the person."
                : Dialogue.sayExactly(settings.screenerReply()));
    }

    private void open(String why) {
        cancelTimer();
        boolean answerNow = state == State.DECIDING || state == State.MENU;
        identified("person");
        state = State.OPEN;
        LOG.infof("call %s: %s; the agent answers", callSid, why);
        host.autoRespond(true);
        if (answerNow) {
            host.respond("");
        }
    }

    private void close() {
        cancelTimer();
        state = State.DONE;
    }

    private void identified(String kind) {
        events.emit("callee_identified", CallEvents.fields().put("kind", kind));
    }

    private void cancelTimer() {
        if (settleTimer >= 0) {
            vertx.cancelTimer(settleTimer);
            settleTimer = -1;
        }
    }
}
