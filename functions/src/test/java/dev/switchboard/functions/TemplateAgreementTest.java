package dev.switchboard.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.switchboard.core.agent.AgentProfiles;
import dev.switchboard.core.call.CallStatus;
import dev.switchboard.core.call.CallTable;
import dev.switchboard.core.call.DynamoCallStore;
import dev.switchboard.core.call.DynamoClients;
import dev.switchboard.core.call.KeypadEntry;
import dev.switchboard.core.call.NewCall;
import dev.switchboard.core.call.Outcome;
import dev.switchboard.core.call.StreamClaim;
import dev.switchboard.core.call.StreamTokens;
import dev.switchboard.core.call.TranscriptLine;
import dev.switchboard.core.call.Transfer;
import dev.switchboard.core.call.Usage;
import dev.switchboard.core.config.Settings;
import dev.switchboard.core.control.CallActionRequest;
import dev.switchboard.core.control.CallActionResult;
import dev.switchboard.core.control.CallActions;
import dev.switchboard.core.events.Subscribers;
import dev.switchboard.core.local.EmbeddedDynamo;
import dev.switchboard.core.twilio.CallControl;
import dev.switchboard.core.webhook.TwilioWebhooks;
import dev.switchboard.core.webhook.WebhookRequest;
import dev.switchboard.simulator.twilio.TwilioSigner;
import jakarta.inject.Named;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * template.yaml agrees with the code: every handler exists and is deployed, every webhook route has an
 * API route to the right function, every variable each runtime needs is set, and every DynamoDB action
 * the code of a function performs (recorded while it runs against DynamoDB Local) is allowed by that
 * function's role.
 */
class TemplateAgreementTest {

    static JsonNode template;
    static EmbeddedDynamo dynamo;
    static Settings settings;

    @BeforeAll
    static void load() throws Exception {
        template = new ObjectMapper(new YAMLFactory()).readTree(Path.of("..", "template.yaml").toFile());
        dynamo = EmbeddedDynamo.start(0);
        Map<String, String> env = Map.of("DYNAMODB_ENDPOINT", dynamo.endpoint().toString(), "CALLS_TABLE", "agreement",
                "TWILIO_AUTH_TOKEN", "t", "TWILIO_ACCOUNT_SID", "AC" + "1".repeat(32), "PUBLIC_BASE_URL", "https://h.example.com");
        settings = Settings.from(n -> Optional.ofNullable(env.get(n)));
        try (DynamoDbClient c = DynamoClients.create(settings)) {
            CallTable.ensureExists(c, "agreement");
        }
    }

    @AfterAll
    static void stop() {
        dynamo.close();
    }

    static Map<String, JsonNode> functions() {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        template.path("Resources").fields().forEachRemaining(e -> {
            if (e.getValue().path("Type").asText().equals("AWS::Serverless::Function")) {
                out.put(e.getKey(), e.getValue());
            }
        });
        return out;
    }

    static String handlerOf(JsonNode function) {
        return function.path("Properties").path("Environment").path("Variables").path("QUARKUS_LAMBDA_HANDLER").asText();
    }

    static Set<String> env(JsonNode function) {
        Set<String> names = new TreeSet<>();
        template.path("Globals").path("Function").path("Environment").path("Variables").fieldNames().forEachRemaining(names::add);
        function.path("Properties").path("Environment").path("Variables").fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** dynamodb:* actions the function's inline policy statements allow on the table. */
    static Set<String> tableActions(Iterable<JsonNode> policies) {
        Set<String> actions = new TreeSet<>();
        for (JsonNode policy : policies) {
            JsonNode statements = policy.has("Statement") ? policy.path("Statement") : policy.path("PolicyDocument").path("Statement");
            for (JsonNode st : statements) {
                st.path("Action").forEach(a -> {
                    if (a.asText().startsWith("dynamodb:")) {
                        actions.add(a.asText());
                    }
                });
            }
        }
        return actions;
    }

    @Test
    void everyHandlerInTheCodeIsDeployedAndEveryDeployedHandlerExists() throws Exception {
        Set<String> inCode = new TreeSet<>();
        try (Stream<Path> classes = Files.walk(Path.of("target", "classes"))) {
            for (Path p : (Iterable<Path>) classes.filter(f -> f.toString().endsWith(".class"))::iterator) {
                String name = Path.of("target", "classes").relativize(p).toString().replace(File.separatorChar, '.').replaceAll("\\.class$", "");
                Named named = Class.forName(name).getAnnotation(Named.class);
                if (named != null) {
                    inCode.add(named.value());
                }
            }
        }
        Set<String> deployed = new TreeSet<>();
        functions().values().forEach(f -> deployed.add(handlerOf(f)));
        assertEquals(inCode, deployed);
    }

    @Test
    void everyWebhookRouteReachesItsFunction() {
        Map<String, String> routes = new HashMap<>();
        functions().values().forEach(f -> f.path("Properties").path("Events").forEach(ev -> {
            if (ev.path("Type").asText().equals("HttpApi")) {
                assertEquals("POST", ev.path("Properties").path("Method").asText());
                routes.put(ev.path("Properties").path("Path").asText(), handlerOf(f));
            }
        }));
        Map<String, String> expected = Map.of(
                TwilioWebhooks.VOICE, "twilio-voice", TwilioWebhooks.STATUS, "twilio-status",
                TwilioWebhooks.STREAM_STATUS, "twilio-stream-status", TwilioWebhooks.DIAL_RESULT, "twilio-dial-result",
                TwilioWebhooks.AMD, "twilio-amd", TwilioWebhooks.STREAM_ENDED, "twilio-stream-ended");
        assertEquals(expected, routes);
    }

    @Test
    void everyRuntimeHasTheVariablesItNeeds() {
        Map<String, Set<String>> needs = Map.ofEntries(
                Map.entry("twilio-voice", Set.of("CALLS_TABLE", "TWILIO_AUTH_TOKEN", "RELAY_PUBLIC_URL", "AGENTS_DIR")),
                // the final status of a warm transfer's briefing call is told to the caller's relay
                Map.entry("twilio-status", Set.of("CALLS_TABLE", "TWILIO_AUTH_TOKEN", "RELAY_INTERNAL_TOKEN")),
                Map.entry("twilio-stream-status", Set.of("CALLS_TABLE", "TWILIO_AUTH_TOKEN")),
                Map.entry("twilio-dial-result", Set.of("CALLS_TABLE", "TWILIO_AUTH_TOKEN", "RELAY_PUBLIC_URL", "AGENTS_DIR")),
                Map.entry("twilio-amd", Set.of("CALLS_TABLE", "TWILIO_AUTH_TOKEN", "RELAY_INTERNAL_TOKEN", "AGENTS_DIR")),
                Map.entry("twilio-stream-ended", Set.of("CALLS_TABLE", "TWILIO_AUTH_TOKEN", "RELAY_PUBLIC_URL", "AGENTS_DIR")),
                Map.entry("call-action", Set.of("CALLS_TABLE", "TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "PUBLIC_BASE_URL", "RELAY_INTERNAL_TOKEN")),
                Map.entry("outbound-call", Set.of("CALLS_TABLE", "TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "PUBLIC_BASE_URL", "RELAY_PUBLIC_URL",
                        "AGENTS_DIR")),
                Map.entry("events-connect", Set.of("CALLS_TABLE", "EVENTS_TOKEN")),
                Map.entry("events-disconnect", Set.of("CALLS_TABLE")),
                // commands are done as call-action does them
                Map.entry("events-message", Set.of("CALLS_TABLE", "EVENTS_API_ENDPOINT", "TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN",
                        "PUBLIC_BASE_URL", "RELAY_INTERNAL_TOKEN")));
        for (JsonNode f : functions().values()) {
            Set<String> env = env(f);
            for (String need : needs.get(handlerOf(f))) {
                boolean secret = Set.of("TWILIO_AUTH_TOKEN", "OPENAI_API_KEY", "RELAY_INTERNAL_TOKEN", "EVENTS_TOKEN").contains(need);
                String name = secret ? need + "_SECRET_ARN" : need;
                assertTrue(env.contains(name), handlerOf(f) + " lacks " + name + " (has " + env + ")");
                if (secret) {
                    assertTrue(!env.contains(need), handlerOf(f) + " must not carry " + need + " in plain text");
                }
            }
        }
        Set<String> relayEnv = new TreeSet<>();
        template.path("Resources").path("RelayTaskDefinition").path("Properties").path("ContainerDefinitions").get(0)
                .path("Environment").forEach(v -> relayEnv.add(v.path("Name").asText()));
        assertEquals(new TreeSet<>(Set.of("CALLS_TABLE", "OPENAI_REALTIME_URL", "OPENAI_API_KEY_SECRET_ARN", "TWILIO_ACCOUNT_SID",
                "TWILIO_AUTH_TOKEN_SECRET_ARN", "RELAY_INTERNAL_TOKEN_SECRET_ARN", "RELAY_PUBLIC_URL", "PUBLIC_BASE_URL",
                "SWITCHBOARD_WEBHOOK_SECRET_SECRET_ARN", "AGENTS_DIR", "EVENTS_API_ENDPOINT")), relayEnv);
        // Secrets are read from <NAME>_SECRET_ARN (SecretsManagerLookup): an ARN under any other name is never read
        relayEnv.stream().filter(n -> n.endsWith("_ARN"))
                .forEach(n -> assertTrue(n.endsWith("_SECRET_ARN"), "the relay would never read " + n));
        assertTrue(functions().values().stream().filter(f -> handlerOf(f).equals("twilio-voice")).allMatch(f ->
                env(f).contains("SWITCHBOARD_WEBHOOK_SECRET_SECRET_ARN")), "the voice function signs setup webhooks");
    }

    /** The functions and the relay read the profiles where their packages put them (see agents/README.md). */
    @Test
    void bothRuntimesReadTheAgentProfilesWhereThePackagesPutThem() throws Exception {
        assertEquals("/var/task/agents", template.path("Globals").path("Function").path("Environment").path("Variables")
                .path("AGENTS_DIR").asText(), "Lambda unpacks function.zip (with agents/) in /var/task");
        String dockerfile = Files.readString(Path.of("..", "infra", "relay", "Dockerfile"));
        java.util.regex.Matcher copied = java.util.regex.Pattern.compile("(?m)^COPY .*agents/ (\\S+?)/?$").matcher(dockerfile);
        assertTrue(copied.find(), "the relay image copies agents/");
        String[] relayAgentsDir = {""};
        template.path("Resources").path("RelayTaskDefinition").path("Properties").path("ContainerDefinitions").get(0)
                .path("Environment").forEach(v -> {
                    if (v.path("Name").asText().equals("AGENTS_DIR")) {
                        relayAgentsDir[0] = v.path("Value").asText();
                    }
                });
        assertEquals(copied.group(1), relayAgentsDir[0]);
    }

    /** Records the DynamoDB operations a piece of code performs. */
    static Set<String> record(Consumer<DynamoDbClient> code) {
        Set<String> ops = new ConcurrentSkipListSet<>();
        ExecutionInterceptor recorder = new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                ops.add("dynamodb:" + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
            }
        };
        try (DynamoDbClient client = DynamoClients.create(settings, java.util.List.of(recorder))) {
            code.accept(client);
        }
        return ops;
    }

    /** No relay holds these calls: the webhooks' and actions' store work is what is recorded. */
    static final dev.switchboard.core.control.RelayClient NO_RELAY = new dev.switchboard.core.control.RelayClient() {
        @Override
        public CallActionResult say(String relayAddress, String callSid, String text) {
            return CallActionResult.error(new CallActionRequest(callSid, "say", null, text, null), "no relay in this test");
        }

        @Override
        public CallActionResult note(String relayAddress, String callSid, String text) {
            return CallActionResult.error(new CallActionRequest(callSid, "note", null, text, null), "no relay in this test");
        }

        @Override
        public CallActionResult answeredBy(String relayAddress, String callSid, String answeredBy) {
            return CallActionResult.error(new CallActionRequest(callSid, "answered-by", null, answeredBy, null), "no relay in this test");
        }

        @Override
        public CallActionResult warmTransferEnded(String relayAddress, String callSid, String target, String result) {
            return CallActionResult.error(new CallActionRequest(callSid, "warm-transfer-ended", target, result, null), "no relay in this test");
        }
    };

    static final CallControl TWILIO_OK = new CallControl() {
        @Override
        public boolean hangUp(String callSid) {
            return true;
        }

        @Override
        public boolean redirect(String callSid, String twiml) {
            return true;
        }

        @Override
        public String place(String to, String from, String twiml, String statusCallback, Optional<String> amd, boolean beep) {
            return String.format("CA%032x", new SecureRandom().nextLong() & Long.MAX_VALUE);
        }
    };

    static String newCall(DynamoCallStore store, String token) {
        String sid = String.format("CA%032x", new SecureRandom().nextLong() & Long.MAX_VALUE);
        store.create(new NewCall(sid, dev.switchboard.core.call.Direction.INBOUND, "+15550001111", "+15557770000",
                "support-desk", CallStatus.RINGING, StreamTokens.hash(token), Instant.now().plusSeconds(300)), Instant.now());
        return sid;
    }

    static WebhookRequest signed(String path, Map<String, String> form) {
        return new WebhookRequest("https://h.example.com", path, Optional.empty(), form,
                Optional.of(TwilioSigner.sign("t", "https://h.example.com" + path, form)));
    }

    @Test
    void everyTableActionTheCodePerformsIsAllowedForItsFunction() {
        AgentProfiles agents = AgentProfiles.load(Optional.of("src/test/resources/agents"));
        Map<String, Set<String>> used = new LinkedHashMap<>();
        used.put("twilio-voice", record(c -> {
            TwilioWebhooks w = webhooks(c, agents);
            Map<String, String> form = Map.of("CallSid", "CA" + "a".repeat(32), "From", "+1555", "To", "+1666", "CallStatus", "ringing");
            w.voice(signed(TwilioWebhooks.VOICE, form));
            w.voice(signed(TwilioWebhooks.VOICE, form)); // Twilio's retry re-issues the token
        }));
        used.put("twilio-status", record(c -> {
            String sid = newCall(new DynamoCallStore(DynamoClients.create(settings), "agreement", settings.recordRetention()), "x");
            webhooks(c, agents).status(signed(TwilioWebhooks.STATUS, Map.of("CallSid", sid, "CallStatus", "completed")));
            webhooks(c, agents).status(signed(TwilioWebhooks.STATUS, Map.of("CallSid", "CA" + "b".repeat(32), "CallStatus", "completed")));
        }));
        used.put("twilio-stream-status", record(c -> webhooks(c, agents).streamStatus(signed(TwilioWebhooks.STREAM_STATUS,
                Map.of("CallSid", "CA" + "a".repeat(32), "StreamEvent", "stream-started")))));
        used.put("twilio-dial-result", record(c -> {
            DynamoCallStore setup = new DynamoCallStore(DynamoClients.create(settings), "agreement", settings.recordRetention());
            String sid = newCall(setup, "x");
            setup.startTransfer(sid, new Transfer("+15550104444", "r", "s", Optional.empty()), Instant.now());
            webhooks(c, agents).dialResult(signed(TwilioWebhooks.DIAL_RESULT, Map.of("CallSid", sid, "DialCallStatus", "no-answer")));
            setup.startTransfer(sid, new Transfer("+15550104444", "r", "s", Optional.empty()), Instant.now());
            webhooks(c, agents).dialResult(signed(TwilioWebhooks.DIAL_RESULT, Map.of("CallSid", sid, "DialCallStatus", "completed")));
        }));
        used.put("twilio-stream-ended", record(c -> {
            String sid = newCall(new DynamoCallStore(DynamoClients.create(settings), "agreement", settings.recordRetention()), "x");
            for (int i = 0; i < 10; i++) { // resumed up to the limit, then given up (the outcome is written)
                webhooks(c, agents).streamEnded(signed(TwilioWebhooks.STREAM_ENDED, Map.of("CallSid", sid, "CallStatus", "in-progress")));
            }
        }));
        used.put("twilio-amd", record(c -> {
            String sid = newCall(new DynamoCallStore(DynamoClients.create(settings), "agreement", settings.recordRetention()), "x");
            webhooks(c, agents).answeringMachine(signed(TwilioWebhooks.AMD, Map.of("CallSid", sid, "AnsweredBy", "machine_end_beep")));
        }));
        used.put("call-action", record(c -> {
            DynamoCallStore store = new DynamoCallStore(c, "agreement", settings.recordRetention());
            CallActions actions = new CallActions(store, TWILIO_OK, agents, NO_RELAY, settings, Clock.systemUTC());
            String sid = newCall(new DynamoCallStore(DynamoClients.create(settings), "agreement", settings.recordRetention()), "x");
            actions.handle(new CallActionRequest(sid, "transfer", "support", null, "r"));
            String other = newCall(new DynamoCallStore(DynamoClients.create(settings), "agreement", settings.recordRetention()), "y");
            actions.handle(new CallActionRequest(other, "hangup", null, null, "r"));
        }));
        used.put("outbound-call", record(c -> new dev.switchboard.core.outbound.OutboundCalls(settings,
                new DynamoCallStore(c, "agreement", settings.recordRetention()), TWILIO_OK, agents, new StreamTokens(new SecureRandom()),
                Clock.systemUTC()).place(new dev.switchboard.core.outbound.OutboundRequest("+15550001111", "+15550002222",
                "support-desk", "Ask about the invoice.", null, false))));
        used.put("events-connect", record(c -> new Subscribers(c, "agreement").connected("conn1", Instant.now())));
        used.put("events-disconnect", record(c -> new Subscribers(c, "agreement").disconnected("conn1")));
        used.put("events-message", record(c -> {
            new Subscribers(DynamoClients.create(settings), "agreement").connected("conn2", Instant.now());
            new Subscribers(c, "agreement").subscribe("conn2", "*", Instant.now());
            new Subscribers(c, "agreement").subscribe("conn2", "CA" + "1".repeat(32), Instant.now()); // moves the index item
            new Subscribers(c, "agreement").find("conn2"); // a command comes from a known connection
            String commanded = newCall(new DynamoCallStore(DynamoClients.create(settings), "agreement", settings.recordRetention()), "z");
            new CallActions(new DynamoCallStore(c, "agreement", settings.recordRetention()), TWILIO_OK, agents, NO_RELAY, settings,
                    Clock.systemUTC()).handle(new CallActionRequest(commanded, "hangup", null, null, "from a dashboard"));
        }));
        for (JsonNode f : functions().values()) {
            String handler = handlerOf(f);
            Set<String> allowed = tableActions(f.path("Properties").path("Policies"));
            assertTrue(used.containsKey(handler), "no recorded run for " + handler);
            assertTrue(!used.get(handler).isEmpty(), "the run of " + handler + " touched no table");
            assertTrue(allowed.containsAll(used.get(handler)), handler + " performs " + used.get(handler) + " but may only " + allowed);
        }

        // The relay: every store method it calls during a call, transfer, keypad entry and hang-up.
        Set<String> relay = record(c -> {
            DynamoCallStore store = new DynamoCallStore(c, "agreement", settings.recordRetention());
            String sid = newCall(new DynamoCallStore(DynamoClients.create(settings), "agreement", settings.recordRetention()), "tok");
            store.claimStream(new StreamClaim(sid, StreamTokens.hash("tok"), "MZ" + "0".repeat(32), "http://r"), Instant.now());
            store.appendTranscript(sid, new TranscriptLine("caller", "hi", Instant.now()), Instant.now());
            store.addUsage(sid, new Usage(1, 1, 1, 0, 0, 0, 1, 1, 20), Instant.now());
            store.addHoldUsage(sid, dev.switchboard.core.call.HoldUsage.oneHold(), Instant.now());
            store.saveConversation(sid, new dev.switchboard.core.call.SavedConversation(java.util.List.of(), "", "", Instant.now()),
                    Instant.now());
            store.savedConversation(sid);
            store.keypad(sid);
            store.saveKeypad(sid, "12", Optional.empty(), Instant.now());
            store.saveKeypad(sid, "", Optional.of(new KeypadEntry("12", "terminator", Instant.now())), Instant.now());
            new CallActions(store, TWILIO_OK, agents, NO_RELAY, settings, Clock.systemUTC())
                    .handle(new CallActionRequest(sid, "hangup", null, null, "done"));
            store.finishStream(sid, "MZ" + "0".repeat(32), Outcome.completed("stop"), Instant.now());
            // live events (ApiGatewaySink): who follows the call, and a connection API Gateway says is gone
            new Subscribers(c, "agreement").following(sid);
            new Subscribers(c, "agreement").disconnected("gone-connection");
        });
        Set<String> relayAllowed = tableActions(template.path("Resources").path("RelayTaskRole").path("Properties").path("Policies"));
        assertTrue(relayAllowed.containsAll(relay), "the relay performs " + relay + " but may only " + relayAllowed);
    }

    static TwilioWebhooks webhooks(DynamoDbClient c, AgentProfiles agents) {
        return new TwilioWebhooks(settings, new DynamoCallStore(c, "agreement", settings.recordRetention()), agents,
                new StreamTokens(new SecureRandom()), Clock.systemUTC(), NO_RELAY);
    }

}
