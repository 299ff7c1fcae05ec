package dev.switchboard.relay.hold;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Speech probability of telephone audio with Silero VAD v5 (through ONNX Runtime, on the CPU): what
 * wakes the agent on a hold line when a person speaks, where an energy threshold would wake on music.
 * At 8 kHz the model takes 256-sample frames (32 ms) with 32 samples of context and carries a
 * recurrent state between calls. One detector per call (it is stateful); the shared model session is
 * thread-safe.
 */
public final class SpeechDetector {

    private static final Logger LOG = Logger.getLogger(SpeechDetector.class);

    public static final int FRAME = 256;
    static final int CONTEXT = 32;

    /**
     * The model, shared by every call of the relay. The relay loads it on demand ({@link #onDemand}):
     * ONNX Runtime and the model add about 53 MB to the process (24 MB the native library, 29 MB the
     * session), which a relay with no call on hold yet, or whose agents never hold, need not carry, and
     * whose loading (about a second of CPU) would compete with the first calls of a fresh relay. The
     * first hold, or the first wait for an automatic one, asks for it ({@link #prepare}) and it loads on
     * a thread of its own in about half a second; until then callers check {@link #ready} and keep
     * what they cannot score yet.
     */
    public static final class Model implements AutoCloseable {
        private static final String RESOURCE = "/vad/silero_vad_v5.onnx";

        private final String resource;
        private final Executor loader;
        private final AtomicBoolean requested = new AtomicBoolean();
        private final CompletableFuture<OrtSession> loading = new CompletableFuture<>();
        private volatile OrtEnvironment env;
        private volatile OrtSession session;

        /** {@code loader} runs the load when {@link #prepare} first asks; tests pass one they control. */
        Model(String resource, Executor loader) {
            if (SpeechDetector.class.getResource(resource) == null) {
                throw new IllegalStateException("the Silero VAD model is missing from the class path (" + resource + ");"
                        + " it is committed at relay-service/src/main/resources/vad");
            }
            this.resource = resource;
            this.loader = loader;
        }

        /** A model that loads when first asked to ({@link #prepare}); fails at once if its file is missing. */
        public static Model onDemand() {
            return new Model(RESOURCE, task -> {
                Thread thread = new Thread(task, "speech-model-load");
                thread.setDaemon(true);
                thread.start();
            });
        }

        /** A model loaded now, on this thread (tests and benchmarks). */
        public static Model load() {
            Model model = new Model(RESOURCE, Runnable::run);
            model.prepare();
            model.loading.join();
            return model;
        }

        /** Starts loading the model in the background, the first time only; returns at once. */
        public void prepare() {
            if (requested.compareAndSet(false, true)) {
                loader.execute(this::loadNow);
            }
        }

        public boolean ready() {
            return session != null;
        }

        /** True once loading has failed: the hold line cannot be listened to on this relay. */
        public boolean failed() {
            return loading.isCompletedExceptionally();
        }

        private void loadNow() {
            long started = System.nanoTime();
            try (InputStream in = SpeechDetector.class.getResourceAsStream(resource)) {
                OrtEnvironment environment = OrtEnvironment.getEnvironment();
                OrtSession.SessionOptions options = new OrtSession.SessionOptions();
                options.setIntraOpNumThreads(1);
                options.setInterOpNumThreads(1);
                OrtSession loaded = environment.createSession(in.readAllBytes(), options);
                env = environment;
                session = loaded;
                loading.complete(loaded);
                LOG.infof("speech model loaded in %d ms", (System.nanoTime() - started) / 1_000_000);
            } catch (IOException | OrtException | RuntimeException | LinkageError e) {
                LOG.errorf("the Silero VAD model could not be loaded (%s): calls on this relay cannot be put on hold", e);
                loading.completeExceptionally(new IllegalStateException("the Silero VAD model could not be loaded: " + e.getMessage(), e));
            }
        }

        @Override
        public void close() throws OrtException {
            if (session != null) {
                session.close();
            }
        }
    }

    private final Model model;
    private final float[] input = new float[CONTEXT + FRAME];
    private float[] state = new float[2 * 128];
    private final float[] pending = new float[FRAME];
    private int filled;
    private float last;
    private long chunks;

    public SpeechDetector(Model model) {
        this.model = model;
    }

    /** Feeds linear samples scaled to [-1, 1]; returns the latest speech probability. */
    public float accept(float[] samples, int length) {
        for (int i = 0; i < length; i++) {
            pending[filled++] = samples[i];
            if (filled == FRAME) {
                last = infer();
                chunks++;
                filled = 0;
            }
        }
        return last;
    }

    /**
     * Forgets the recurrent state and context (what the model has heard so far). Carried through
     * minutes of loud music, the state makes the model slow to hear a voice that follows: seconds,
     * where a fresh one takes a fraction of one.
     */
    public void reset() {
        Arrays.fill(state, 0f);
        Arrays.fill(input, 0, CONTEXT, 0f);
    }

    /** How many 32 ms chunks have been scored so far: a new score is ready when this moves. */
    public long chunks() {
        return chunks;
    }

    private float infer() {
        OrtSession session = model.session;
        if (session == null) {
            throw new IllegalStateException("the speech model is not loaded yet: check Model.ready() before feeding audio");
        }
        System.arraycopy(pending, 0, input, CONTEXT, FRAME);
        try (OnnxTensor in = OnnxTensor.createTensor(model.env, FloatBuffer.wrap(input), new long[] {1, CONTEXT + FRAME});
             OnnxTensor st = OnnxTensor.createTensor(model.env, FloatBuffer.wrap(state), new long[] {2, 1, 128});
             OnnxTensor sr = OnnxTensor.createTensor(model.env, LongBuffer.wrap(new long[] {8000}), new long[] {});
             OrtSession.Result out = session.run(Map.of("input", in, "state", st, "sr", sr))) {
            float probability = ((float[][]) out.get(0).getValue())[0][0];
            float[][][] next = (float[][][]) out.get(1).getValue();
            float[] flat = new float[2 * 128];
            for (int a = 0; a < 2; a++) {
                System.arraycopy(next[a][0], 0, flat, a * 128, 128);
            }
            state = flat;
            System.arraycopy(input, FRAME, input, 0, CONTEXT); // the last 32 samples are the next context
            return probability;
        } catch (OrtException e) {
            throw new IllegalStateException("Silero VAD inference failed: " + e.getMessage(), e);
        }
    }
}
