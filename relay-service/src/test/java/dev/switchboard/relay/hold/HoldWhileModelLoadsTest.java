package dev.switchboard.relay.hold;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.core.agent.HoldSettings;
import dev.switchboard.core.call.CallStore;
import dev.switchboard.relay.events.CallEvents;
import dev.switchboard.relay.realtime.RealtimeListener;
import dev.switchboard.relay.store.CallRecorder;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.InputStream;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The relay loads the speech model when its first call asks for it, so a call can go on hold before
 * the model is ready. What the hold line carried meanwhile must not be skipped: it is listened to once
 * the model has loaded, and the session woken by it gets the same audio as if the model had been
 * there from the start. A model that cannot load must not leave the caller unheard on hold.
 */
class HoldWhileModelLoadsTest {

    private static final String MODEL = "/vad/silero_vad_v5.onnx";

    private final Vertx vertx = Vertx.vertx();
    private final List<Runnable> loads = new ArrayList<>();

    @AfterEach
    void close() {
        vertx.close();
    }

    /** A hold line: 3 s of music, then a person talking. */
    private static List<String> holdLine() throws Exception {
        byte[] music = resource("/audio/music-macroform-cold-day-20s.ulaw");
        byte[] speech = resource("/audio/speech-allison-20s.ulaw");
        byte[] line = new byte[3 * 8000 + 6 * 8000];
        System.arraycopy(music, 0, line, 0, 3 * 8000);
        System.arraycopy(speech, 0, line, 3 * 8000, 6 * 8000);
        List<String> frames = new ArrayList<>();
        for (int off = 0; off + 160 <= line.length; off += 160) {
            frames.add(Base64.getEncoder().encodeToString(Arrays.copyOfRange(line, off, off + 160)));
        }
        return frames;
    }

    private static byte[] resource(String name) throws Exception {
        try (InputStream in = HoldWhileModelLoadsTest.class.getResourceAsStream(name)) {
            return in.readAllBytes();
        }
    }

    /** Where each frame sent sits in the line ("first..last" for a run of consecutive frames). */
    private static List<String> positions(List<String> line, List<String> sent) {
        List<String> runs = new ArrayList<>();
        int from = -1;
        int last = -2;
        int searchFrom = 0;
        for (String frame : sent) {
            int at = line.subList(searchFrom, line.size()).indexOf(frame) + searchFrom;
            searchFrom = at + 1;
            if (at != last + 1) {
                if (from >= 0) {
                    runs.add(from + ".." + last);
                }
                from = at;
            }
            last = at;
        }
        if (from >= 0) {
            runs.add(from + ".." + last);
        }
        return runs;
    }

    /** What reached the woken session: the wake's audio, then every frame fed after the wake. */
    private static final class Line implements Hold.Host {
        final List<String> sessionAudio = new ArrayList<>();
        final List<String> notes = new ArrayList<>();

        @Override
        public void wake(List<String> preRoll, String note) {
            sessionAudio.addAll(preRoll);
            notes.add(note);
        }

        @Override
        public void giveUp(String why, String message) {
            notes.add("gave up: " + why);
        }
    }

    private Hold hold(SpeechDetector.Model model, Line host) {
        CallStore store = (CallStore) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {CallStore.class},
                (proxy, method, args) -> null); // the counters written on the record are not what this test is about
        RealtimeListener session = new RealtimeListener() {
            @Override
            public void onRealtimeText(String json) {
            }

            @Override
            public void onRealtimeClosed(int code, String reason) {
            }
        };
        return new Hold(vertx, "CAtest", HoldSettings.DEFAULT, model, new HoldCosts(10, 40),
                new CallRecorder(vertx, store, Clock.systemUTC(), 1), new CallEvents(null, null, Clock.systemUTC(), null),
                host, session, listener -> Future.failedFuture("no Realtime socket in this test"));
    }

    /** Feeds the line to a held call, frame by frame; once woken, frames go to the session as the relay sends them. */
    private static int feed(Hold hold, Line host, List<String> frames, int from, int to) {
        int wokenAt = -1;
        for (int i = from; i < to; i++) {
            if (hold.holding()) {
                hold.frame(frames.get(i), 0);
                wokenAt = hold.holding() ? -1 : i;
            } else {
                host.sessionAudio.add(frames.get(i));
            }
        }
        return wokenAt;
    }

    @Test
    void theLineHeardWhileTheModelLoadsWakesTheAgentWithTheSameAudio() throws Exception {
        List<String> frames = holdLine();

        Line ready = new Line();
        Hold fromTheStart = hold(SpeechDetector.Model.load(), ready);
        fromTheStart.start();
        int wokenAt = feed(fromTheStart, ready, frames, 0, frames.size());
        assertEquals(1, ready.notes.size(), "the person wakes the agent once");
        assertFalse(ready.sessionAudio.isEmpty());

        Line loading = new Line();
        SpeechDetector.Model late = new SpeechDetector.Model(MODEL, loads::add);
        Hold whileLoading = hold(late, loading);
        assertTrue(loads.isEmpty(), "a call that has not gone on hold does not load the model");
        whileLoading.start();
        assertEquals(1, loads.size(), "the hold asked for the model");
        int loadedAt = 4 * 50; // one second into the person's speech, past the point the loaded model woke the agent
        assertTrue(wokenAt > 150 && wokenAt < loadedAt, "the wake comes while catching up, woken at frame " + wokenAt);
        feed(whileLoading, loading, frames, 0, loadedAt);
        assertTrue(loading.notes.isEmpty(), "no wake without the model");
        loads.forEach(Runnable::run);
        assertTrue(late.ready());
        feed(whileLoading, loading, frames, loadedAt, frames.size());

        assertEquals(1, loading.notes.size(), "the person wakes the agent once the model has loaded");
        // compared as frame positions in the line, so a failure reads as which frames went missing
        assertEquals(positions(frames, ready.sessionAudio), positions(frames, loading.sessionAudio),
                "the woken session hears what it would have with the model loaded: first words, and nothing skipped after the wake");
        late.close();
    }

    @Test
    void aModelThatCannotLoadWakesTheAgentRatherThanLeaveTheLineUnheard() throws Exception {
        List<String> frames = holdLine();
        SpeechDetector.Model broken = new SpeechDetector.Model("/audio/README.md", Runnable::run); // not an ONNX model
        Line host = new Line();
        Hold hold = hold(broken, host);
        hold.start();
        assertTrue(broken.failed(), "the hold asked for the model, which failed to load");
        feed(hold, host, frames, 0, 10);

        assertEquals(1, host.notes.size(), "woken at the first frame");
        assertTrue(host.notes.get(0).contains("cannot be listened to"), host.notes.get(0));
        assertEquals(positions(frames, frames.subList(0, 10)), positions(frames, host.sessionAudio),
                "the line goes to the agent from its first frame");
    }
}
