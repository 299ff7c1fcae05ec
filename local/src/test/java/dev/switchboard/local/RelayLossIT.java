package dev.switchboard.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.core.call.CallRecord;
import dev.switchboard.core.call.CallStore;
import dev.switchboard.core.call.CallTable;
import dev.switchboard.core.call.DynamoCallStore;
import dev.switchboard.core.local.EmbeddedDynamo;
import dev.switchboard.simulator.audio.Audio;
import dev.switchboard.simulator.realtime.RealtimeConnection;
import dev.switchboard.simulator.realtime.RealtimeSimulator;
import dev.switchboard.simulator.realtime.Reply;
import dev.switchboard.simulator.twilio.MediaStreamCaller;
import dev.switchboard.simulator.twilio.TwilioCall;
import dev.switchboard.simulator.twilio.TwilioRestSimulator;
import dev.switchboard.simulator.twilio.WebhookPoster;
import io.vertx.core.Vertx;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Two relays, each the packaged local jar in a process of its own, behind a stand-in for the load
 * balancer ({@link Fleet}), sharing one DynamoDB Local that runs outside both; the simulators and the
 * callers run in this JVM. Relay A is killed with SIGKILL (no shutdown hook, sockets cut by the OS)
 * in the middle of calls: Twilio's side of each call asks the {@code <Connect action>}, relay B takes
 * the call with its conversation, and the caller hears the agent again. Relay A is also stopped
 * with SIGTERM: at the end of its drain it hands its calls (talking, typing digits, on hold) to B.
 * Each run prints the gaps the callers heard.
 */
class RelayLossIT {

    static final String TABLE = "switchboard-calls";
    static final String AUTH_TOKEN = "relay-loss-auth-token";
    static final String ACCOUNT = "AC" + "7".repeat(32);

    @TempDir
    Path dir;

    Vertx vertx;
    EmbeddedDynamo dynamo;
    DynamoDbClient dynamoClient;
    CallStore calls;
    RealtimeSimulator realtime;
    TwilioRestSimulator rest;
    Fleet fleet;
    int fleetPort;
    /** The ports the fleet sends connections to; -1 once a relay is gone. */
    final int[] relayPorts = new int[2];
    final String[] addresses = new String[2];
    final List<LocalRunIT.Run> relays = new ArrayList<>();
    final List<TwilioCall> placed = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        dynamo = EmbeddedDynamo.start(0);
        dynamoClient = DynamoDbClient.builder().endpointOverride(dynamo.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"))).build();
        CallTable.ensureExists(dynamoClient, TABLE);
        calls = new DynamoCallStore(dynamoClient, TABLE, Duration.ofDays(1));
        realtime = new RealtimeSimulator(vertx, "sk-relay-loss").start(0);
        rest = new TwilioRestSimulator(vertx, ACCOUNT, AUTH_TOKEN).start(0);
        relayPorts[0] = freePort();
        relayPorts[1] = freePort();
        fleet = new Fleet(vertx, List.of(() -> relayPorts[0], () -> relayPorts[1]));
        fleetPort = fleet.start();
        addresses[0] = "http://127.0.0.1:" + relayPorts[0];
        addresses[1] = "http://127.0.0.1:" + relayPorts[1];
    }

    /** Starts relay A (with {@code extraForA} in its environment) and relay B, and waits until both serve. */
    private void startRelays(Map<String, String> extraForA) throws Exception {
        relays.add(startRelay("a", 0, extraForA));
        relays.add(startRelay("b", 1, Map.of()));
        for (LocalRunIT.Run relay : relays) {
            Matcher listening = relay.await(LocalRunIT.LISTENING, Duration.ofSeconds(90));
            assertNotNull(listening, "a relay did not start:\n" + relay.printed());
        }
    }

    @AfterEach
    void stop() throws Exception {
        placed.forEach(TwilioCall::close);
        relays.forEach(LocalRunIT.Run::close);
        for (LocalRunIT.Run relay : relays) {
            relay.process().waitFor(10, TimeUnit.SECONDS);
        }
        fleet.close();
        realtime.close();
        rest.close();
        dynamoClient.close();
        dynamo.close();
        vertx.close();
    }

    @Test
    void callsGoOnAnotherRelayWithTheirConversationWhenTheirRelayIsKilled() throws Exception {
        startRelays(Map.of());
        realtime.script(() -> List.of(Reply.speak("Support, how can I help?", 300),
                Reply.speak("Order 881 ships on Tuesday.", 400).heard("Where is order 881?")));
        List<TwilioCall> live = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            live.add(call("+15557770000"));
        }
        for (TwilioCall call : live) {
            MediaStreamCaller caller = call.current().caller();
            await(Duration.ofSeconds(20), () -> caller.heardMillis() >= 300, "the greeting on relay A");
            caller.play(Audio.concat(Audio.speechLike(600, 7), Audio.silence(800)));
        }
        for (TwilioCall call : live) {
            await(Duration.ofSeconds(20), () -> call.current().caller().heardMillis() >= 700, "the answer on relay A");
            await(Duration.ofSeconds(10), () -> calls.savedConversation(call.callSid()).items().stream()
                    .anyMatch(item -> item.text().equals("Order 881 ships on Tuesday.")), "the conversation saved as the call goes");
            assertEquals(relayAddress(0), calls.find(call.callSid()).orElseThrow().relayAddress().orElseThrow());
        }
        realtime.script(() -> List.of(Reply.speak("Sorry about that, I'm back.", 400)));
        int sessionsBefore = realtime.connections().size();

        long killed = System.nanoTime();
        relays.get(0).process().destroyForcibly(); // SIGKILL: no drain, no shutdown hook
        relayPorts[0] = -1;

        List<Long> gapsMs = new ArrayList<>();
        for (TwilioCall call : live) {
            try {
                await(Duration.ofSeconds(20), () -> call.streams().size() == 2, "Twilio to resume " + call.callSid() + " on a new stream");
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + " (<Connect action> answers: " + call.actionStatuses() + ", call over: "
                        + call.isOver() + ")\nrelay B printed, last lines:\n" + lastLines(relays.get(1).printed(), 60), e);
            }
            TwilioCall.Stream resumed = call.current();
            long heard = resumed.firstAudioNanos().get(20, TimeUnit.SECONDS);
            gapsMs.add((heard - killed) / 1_000_000);
            await(Duration.ofSeconds(10), () -> !calls.find(call.callSid()).orElseThrow().resuming(), "the resumption recorded");
            CallRecord record = calls.find(call.callSid()).orElseThrow();
            assertEquals(relayAddress(1), record.relayAddress().orElseThrow(), "relay B holds the call");
            assertEquals(1, record.resumes());
            assertTrue(record.outcome().isEmpty());
        }
        List<String> seeded = realtime.connections().subList(sessionsBefore, realtime.connections().size()).stream()
                .flatMap(c -> realtime.events("conversation.item.create").stream().filter(e -> e.connection() == c.id()))
                .map(e -> e.json().path("item").path("content").path(0).path("text").asText()).toList();
        assertEquals(live.size(), seeded.stream().filter(t -> t.equals("Order 881 ships on Tuesday.")).count(),
                "every new session hears the conversation: " + seeded);
        assertEquals(live.size(), seeded.stream().filter(t -> t.startsWith("The phone line dropped")).count(), seeded.toString());
        System.out.println("relay killed: callers heard the agent again after " + summary(gapsMs));

        for (TwilioCall call : live) {
            call.hangUp();
        }
        for (TwilioCall call : live) {
            await(Duration.ofSeconds(10), () -> calls.find(call.callSid()).orElseThrow().outcome().isPresent(), "the outcome");
        }
    }

    @Test
    void aStoppingRelayHandsItsCallsOverInEveryState() throws Exception {
        startRelays(Map.of("SWITCHBOARD_DRAIN", "500ms"));

        realtime.script(() -> List.of(Reply.speak("Support, how can I help?", 300),
                Reply.speak("Order 881 ships on Tuesday.", 400).heard("Where is order 881?")));
        TwilioCall talking = call("+15557770000");
        await(Duration.ofSeconds(20), () -> talking.current().caller().heardMillis() >= 300, "the greeting");
        talking.current().caller().play(Audio.concat(Audio.speechLike(600, 7), Audio.silence(800)));
        await(Duration.ofSeconds(20), () -> talking.current().caller().heardMillis() >= 700, "the answer");

        realtime.script(() -> List.of(Reply.callFunction("wait_on_hold", "{\"reason\":\"asked to hold\"}").heard("Please hold.")));
        TwilioCall holding = call("+15553330000");
        holding.current().caller().play(Audio.concat(Audio.speechLike(600, 3), Audio.silence(700)));
        await(Duration.ofSeconds(20), () -> calls.find(holding.callSid()).orElseThrow().holding(), "the call on hold");

        // typed last, just before the stop: the entry is still open (2 s between keys) when the call is handed over
        realtime.script(() -> List.of(Reply.speak("Enter your account number.", 300)));
        TwilioCall typing = call("+15557770000");
        await(Duration.ofSeconds(20), () -> typing.current().caller().heardMillis() >= 300, "the prompt");
        realtime.script(() -> List.of(Reply.speak("I'm back.", 300), Reply.speak("Thanks.", 300)));
        typing.current().caller().sendDtmf("1");
        typing.current().caller().sendDtmf("2");
        await(Duration.ofSeconds(10), () -> calls.keypad(typing.callSid()).buffer().equals("12"), "the keys saved");

        int sessionsBefore = realtime.connections().size();
        long stopped = System.nanoTime();
        relays.get(0).process().destroy(); // SIGTERM: the drain (0.5 s), then the hand-over

        for (TwilioCall call : List.of(typing, talking, holding)) {
            await(Duration.ofSeconds(30), () -> call.streams().size() == 2, "the hand-over of " + call.callSid());
            await(Duration.ofSeconds(10), () -> !calls.find(call.callSid()).orElseThrow().resuming(), "the call restored");
            if (call == typing) { // the caller goes on typing at once: the restored entry waits the inter-digit time again
                MediaStreamCaller keys = typing.current().caller();
                keys.sendDtmf("3");
                keys.sendDtmf("4");
                keys.sendDtmf("#");
            }
            assertEquals(relayAddress(1), calls.find(call.callSid()).orElseThrow().relayAddress().orElseThrow());
            assertTrue(calls.find(call.callSid()).orElseThrow().outcome().isEmpty());
        }
        long gap = (talking.current().firstAudioNanos().get(20, TimeUnit.SECONDS)
                - talking.streams().get(0).caller().closedAtNanos()) / 1_000_000;
        System.out.println("relay drained: the talking caller heard the agent again " + gap + " ms after its old stream stopped"
                + " (" + (talking.current().openedNanos() - stopped) / 1_000_000 + " ms after SIGTERM, drain 0.5 s)");

        for (TwilioCall call : List.of(talking, typing, holding)) {
            assertTrue(rest.requests().stream().anyMatch(r -> r.path().contains(call.callSid()) && r.status() == 200
                    && r.form().getOrDefault("Twiml", "").contains("<Connect")), "handed over with a REST update, not left to the action");
        }
        assertTrue(talking.actionStatuses().isEmpty(), "no <Connect action> was needed");
        await(Duration.ofSeconds(10), () -> calls.keypad(typing.callSid()).entries().size() == 1, "the entry");
        assertEquals("1234", calls.keypad(typing.callSid()).entries().get(0).digits());

        holding.current().caller().play(Audio.silence(1500)).get();
        assertTrue(calls.find(holding.callSid()).orElseThrow().holding(), "still on hold on relay B");
        assertEquals(2, realtime.connections().subList(sessionsBefore, realtime.connections().size()).stream()
                .filter(RealtimeConnection::configured).count(), "sessions set up again for the talking and typing calls only");
        assertTrue(relays.get(0).process().waitFor(30, TimeUnit.SECONDS), "relay A stopped");
        for (TwilioCall call : List.of(talking, typing, holding)) {
            call.hangUp();
        }
    }

    private TwilioCall call(String number) {
        String callSid = rest.registerCall(TwilioRestSimulator.newCallSid(new SecureRandom()), "+15551230000", number,
                "inbound");
        Map<String, String> form = new LinkedHashMap<>();
        form.put("AccountSid", ACCOUNT);
        form.put("CallSid", callSid);
        form.put("From", "+15551230000");
        form.put("To", number);
        form.put("CallStatus", "ringing");
        form.put("Direction", "inbound");
        WebhookPoster poster = new WebhookPoster(AUTH_TOKEN);
        String voice = publicBase() + "/twilio/voice";
        HttpResponse<String> answer = poster.post(URI.create(voice), voice, form, null);
        assertEquals(200, answer.statusCode(), answer.body());
        TwilioCall call = new TwilioCall(vertx, callSid, 1.0, poster, TwilioCall.Network.AS_IS).follow(rest);
        placed.add(call);
        return call.run(answer.body());
    }

    private LocalRunIT.Run startRelay(String name, int index, Map<String, String> extra) throws Exception {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("DYNAMODB_ENDPOINT", dynamo.endpoint().toString());
        env.put("CALLS_TABLE", TABLE);
        env.put("OPENAI_API_KEY", "sk-relay-loss");
        env.put("OPENAI_REALTIME_URL", realtime.url().toString());
        env.put("TWILIO_ACCOUNT_SID", ACCOUNT);
        env.put("TWILIO_AUTH_TOKEN", AUTH_TOKEN);
        env.put("TWILIO_API_BASE_URL", rest.baseUrl().toString());
        env.put("PUBLIC_BASE_URL", publicBase());
        env.put("RELAY_PUBLIC_URL", "ws://127.0.0.1:" + fleetPort + "/media-stream");
        env.put("RELAY_ADDRESS", addresses[index]);
        env.put("RELAY_INTERNAL_TOKEN", "relay-loss-internal-token");
        env.put("AGENTS_DIR", agents().toString());
        env.putAll(extra);
        Path own = dir.resolve(name);
        Files.createDirectories(own);
        return LocalRunIT.start(own, env, relayPorts[index]);
    }

    /** The two test agents these calls use: one that answers and talks, one that waits on hold. */
    private Path agents() throws Exception {
        Path agents = Files.createDirectories(dir.resolve("agents"));
        for (String file : List.of("support-desk.yaml", "hold-line.yaml")) {
            Files.copy(Path.of("src/test/resources/agents", file), agents.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        return agents;
    }

    private String publicBase() {
        return "http://127.0.0.1:" + fleetPort;
    }

    private String relayAddress(int index) {
        return addresses[index];
    }

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static String summary(List<Long> ms) {
        List<Long> sorted = ms.stream().sorted().toList();
        return "p50 " + sorted.get(sorted.size() / 2) + " ms, max " + sorted.get(sorted.size() - 1) + " ms over " + sorted.size()
                + " calls " + ms;
    }

    static void await(Duration timeout, BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
    }

    /** The end of a relay's output, for a failure message: what it was doing when the call was lost. */
    private static String lastLines(String printed, int count) {
        String[] lines = printed.split("\n");
        return String.join("\n", Arrays.copyOfRange(lines, Math.max(0, lines.length - count), lines.length));
    }
}
