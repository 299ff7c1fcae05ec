package dev.switchboard.relay.keypad;

import dev.switchboard.core.agent.AgentProfile;
import dev.switchboard.core.agent.CollectSettings;
import dev.switchboard.core.agent.KeypadSettings;
import dev.switchboard.core.agent.Menu;
import dev.switchboard.core.call.KeypadEntry;
import dev.switchboard.relay.dtmf.DtmfDetector;
import dev.switchboard.relay.events.CallEvents;
import dev.switchboard.relay.store.CallRecorder;
import dev.switchboard.relay.turn.Dialogue;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;

/**
 * The caller's keypad: keys from Twilio's events and (for agents that ask) tones heard in the audio,
 * gathered into entries that reach the model as one message and one response; menu keys routed at
 * once; and {@code collect_digits}, which swaps in a checked collection until it ends. The record keeps
 * the entry being typed and every entry (masked where secret), so any process can see them.
 *
 * <p>One per call, used on the call's event loop only.
 */
public final class Keypad {

    private final Vertx vertx;
    private final String callSid;
    private final AgentProfile agent;
    private final Clock clock;
    private final CallRecorder recorder;
    private final CallEvents events;
    private final Dialogue dialogue;
    private final KeypadHost host;
    private final BooleanSupplier someoneTalking;
    private final MenuKeys menuKeys;
    private final KeyFilter filter = new KeyFilter();
    private final DtmfDetector tones;
    private DigitCollector entries;
    private DigitCollector collector;
    private DigitCollection collection;

    public Keypad(Vertx vertx, String callSid, AgentProfile agent, Clock clock, CallRecorder recorder, CallEvents events,
                  Dialogue dialogue, KeypadHost host, BooleanSupplier someoneTalking) {
        this.vertx = vertx;
        this.callSid = callSid;
        this.agent = agent;
        this.clock = clock;
        this.recorder = recorder;
        this.events = events;
        this.dialogue = dialogue;
        this.host = host;
        this.someoneTalking = someoneTalking;
        this.menuKeys = new MenuKeys(dialogue, host, events);
        this.tones = agent.keypad().inbandDetection() ? new DtmfDetector(key -> key(String.valueOf(key), KeyFilter.Source.TONE)) : null;
        this.entries = entriesFor(host.menu());
    }

    /** Whether caller audio should go through {@link #listen}: only for agents that hear keys in-band. */
    public boolean hearsTones() {
        return tones != null;
    }

    public void listen(byte[] mulaw) {
        tones.accept(mulaw);
    }

    /** An entry begun while another relay held the call. */
    public void restore(String typed) {
        if (!typed.isEmpty() && !entries.isTyping()) {
            entries.restore(typed);
        }
    }

    /** One key; false if it is not a single keypad key (the caller counts it as a malformed frame). */
    public boolean key(String digit, KeyFilter.Source source) {
        if (digit.length() != 1) {
            return false;
        }
        if (!filter.accept(digit.charAt(0), source, System.nanoTime())) {
            return true;
        }
        DigitCollector current = current();
        if (!current.isTyping()) {
            host.interruptAgent();
        }
        // a key of a secret being collected is shown masked, like the entry it belongs to (decided
        // before the key is taken: the last key of an entry ends the collection)
        String shown = collection != null && collection.spec().secret() ? "•" : digit;
        if (!current.onKey(digit.charAt(0))) {
            return false;
        }
        events.emit("dtmf_received", CallEvents.fields().put("digit", shown));
        return true;
    }

    /** The flow moved: the new step's menu (or none) takes the keys, unless a collection holds them. */
    public void menuChanged() {
        if (collection == null) {
            entries.close();
            entries = entriesFor(host.menu());
        }
    }

    /** Starts (or restarts) a checked collection; {@code forStep}: the flow moves on when it succeeds. */
    public void collect(DigitSpec spec, boolean forStep) {
        if (collector != null) {
            collector.close();
        }
        collection = new DigitCollection(spec, forStep);
        DigitCollection mine = collection;
        collector = new DigitCollector(vertx, new KeypadSettings(spec.terminator(), spec.maxLength(), spec.timeoutMs(),
                "clear", agent.keypad().inbandDetection()), someoneTalking, new DigitCollector.Listener() {
            @Override
            public void onEntry(String digits, String endedBy) {
                if (endedBy.equals("max-length") && !spec.terminator().isEmpty()) {
                    filter.swallowNext(spec.terminator(), System.nanoTime());
                }
                collected(digits, "keypad");
            }

            @Override
            public void onBufferChanged(String buffer) {
                if (collection == mine) {
                    recorder.keypad(callSid, spec.shown(buffer), Optional.empty());
                }
            }
        });
    }

    /** A flow step that collects a number: its collection starts with the step. */
    public void collectFor(CollectSettings c) {
        int min = c.length() > 0 ? c.length() : Math.max(1, c.minLength());
        int max = c.length() > 0 ? c.length() : (c.maxLength() > 0 ? c.maxLength() : 32);
        collect(new DigitSpec(c.name(), min, max, c.terminator(), c.timeoutMs(),
                c.pattern() == null ? Optional.empty() : Optional.of(Pattern.compile(c.pattern())),
                c.retries(), c.confirm() && !c.secret(), c.secret()), true);
    }

    public boolean collecting() {
        return collection != null;
    }

    /** What the record keeps of the caller's words: numbers masked while a secret is being collected. */
    public String kept(String transcript) {
        return collection == null ? transcript : collection.kept(transcript);
    }

    /** The caller's words, transcribed: a number said aloud counts for the collection in progress. */
    public void heard(String transcript) {
        if (collection == null) {
            return;
        }
        String spoken = DigitSpec.fromSpeech(transcript);
        if (!spoken.isEmpty()) {
            collected(spoken, "voice");
        }
    }

    public void close() {
        entries.close();
        if (collector != null) {
            collector.close();
        }
    }

    private DigitCollector current() {
        return collection != null ? collector : entries;
    }

    /** With a menu every key is an entry of its own (# and * included), routed at once. */
    private DigitCollector entriesFor(Menu menu) {
        KeypadSettings keys = menu == null ? agent.keypad()
                : new KeypadSettings("", 1, agent.keypad().interDigitTimeoutMs(), "digit", agent.keypad().inbandDetection());
        return new DigitCollector(vertx, keys, someoneTalking, new DigitCollector.Listener() {
            @Override
            public void onEntry(String digits, String endedBy) {
                entry(digits, endedBy);
            }

            @Override
            public void onBufferChanged(String buffer) {
                recorder.keypad(callSid, buffer, Optional.empty());
            }
        });
    }

    /** An ordinary entry (no collection running): a menu key, or one message and one response. */
    private void entry(String digits, String endedBy) {
        recorder.keypad(callSid, "", Optional.of(new KeypadEntry(digits, endedBy, clock.instant())));
        events.emit("digits_collected", CallEvents.fields().put("digits", digits).put("ended_by", endedBy));
        if (!host.live()) {
            return;
        }
        Menu menu = host.menu();
        if (menu != null) {
            menuKeys.press(menu, digits);
            return;
        }
        dialogue.tell("user", "Keypad entry: " + digits);
        dialogue.followUp();
    }

    /** A value for the collection in progress, typed or said. */
    private void collected(String digits, String how) {
        DigitCollection c = collection;
        if (c == null || !host.live()) {
            return;
        }
        DigitSpec spec = c.spec();
        boolean valid = spec.problem(digits).isEmpty();
        recorder.keypad(callSid, "", Optional.of(new KeypadEntry(spec.shown(digits), valid ? how : "invalid " + how, clock.instant())));
        events.emit("digits_collected", CallEvents.fields().put("name", spec.name()).put("digits", spec.shown(digits))
                .put("valid", valid).put("via", how));
        if (valid && spec.secret()) {
            events.emit("secret_collected", CallEvents.fields().put("name", spec.name()).put("value", digits));
        }
        DigitCollection.Result result = c.offer(digits, dialogue);
        if (result != DigitCollection.Result.RETRY) {
            collection = null;
            collector.close();
            collector = null;
            if (result == DigitCollection.Result.ACCEPTED && c.forStep()) {
                host.stepCollected();
            }
        }
        if (how.equals("keypad")) {
            dialogue.respond(""); // speech already led to a response of its own
        }
    }
}
