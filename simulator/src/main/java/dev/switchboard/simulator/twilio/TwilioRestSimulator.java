package dev.switchboard.simulator.twilio;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in for Twilio's REST API, Calls resource: create ({@code POST .../Calls.json}), update
 * ({@code POST .../Calls/{Sid}.json} with {@code Twiml}, {@code Url} or {@code Status}) and fetch.
 * Basic auth and form bodies are required, answers are Twilio-shaped JSON, and an unknown or
 * finished call gets 404 with code 20404. Every request is recorded.
 */
public final class TwilioRestSimulator implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CALLS = Pattern.compile("/2010-04-01/Accounts/(AC[0-9a-fA-F]{32})/Calls\\.json");
    private static final Pattern CALL = Pattern.compile("/2010-04-01/Accounts/(AC[0-9a-fA-F]{32})/Calls/(CA[0-9a-fA-F]{32})\\.json");

    /** A request as received, with whether it was authorised and what was answered. */
    public record RecordedRequest(String method, String path, Map<String, String> form, boolean authorized, int status) {
    }

    /** A change to a call: a new status or new TwiML/URL. */
    public record CallUpdate(String callSid, Map<String, String> form) {
    }

    private final Vertx vertx;
    private final boolean ownsVertx;
    private final String accountSid;
    private final String authToken;
    private final HttpServer server;
    private static final Pattern CONFERENCE = Pattern.compile("<Conference[^>]*>([^<]+)</Conference>");
    private final Map<String, ObjectNode> calls = new ConcurrentHashMap<>();
    private final Map<String, List<String>> conferences = new ConcurrentHashMap<>();
    /** CallSids in the order the calls were created or registered. */
    private final List<String> created = new CopyOnWriteArrayList<>();
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private final List<Consumer<CallUpdate>> listeners = new CopyOnWriteArrayList<>();
    private final SecureRandom random = new SecureRandom();
    private volatile int port;

    public TwilioRestSimulator(String accountSid, String authToken) {
        this(Vertx.vertx(), true, accountSid, authToken);
    }

    public TwilioRestSimulator(Vertx vertx, String accountSid, String authToken) {
        this(vertx, false, accountSid, authToken);
    }

    private TwilioRestSimulator(Vertx vertx, boolean ownsVertx, String accountSid, String authToken) {
        this.vertx = vertx;
        this.ownsVertx = ownsVertx;
        this.accountSid = accountSid;
        this.authToken = authToken;
        this.server = vertx.createHttpServer();
        server.requestHandler(this::handle);
    }

    public TwilioRestSimulator start(int port) {
        try {
            server.listen(port, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("Twilio REST simulator did not start", e);
        }
        this.port = server.actualPort();
        return this;
    }

    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** Makes a call known, as if Twilio had placed or received it (for inbound calls in tests). */
    public String registerCall(String callSid, String from, String to, String direction) {
        calls.put(callSid, callJson(callSid, from, to, "in-progress", direction));
        created.add(callSid);
        return callSid;
    }

    /** Sets a call's status as Twilio would on its own (the far end hung up, say). */
    public void setStatus(String callSid, String status) {
        ObjectNode c = calls.get(callSid);
        if (c != null) {
            c.put("status", status);
        }
    }

    public static String newCallSid(SecureRandom random) {
        byte[] b = new byte[16];
        random.nextBytes(b);
        return "CA" + HexFormat.of().formatHex(b);
    }

    public String newCallSid() {
        return newCallSid(random);
    }

    public void onCallUpdated(Consumer<CallUpdate> listener) {
        listeners.add(listener);
    }

    public List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    public List<RecordedRequest> requestsFor(String callSid) {
        return requests.stream().filter(r -> r.path().contains(callSid)).toList();
    }

    /** The CallSids of the calls created to {@code number}, oldest first. */
    public List<String> callsTo(String number) {
        return created.stream().filter(sid -> number.equals(calls.get(sid).path("to").asText())).toList();
    }

    public String statusOf(String callSid) {
        ObjectNode c = calls.get(callSid);
        return c == null ? null : c.path("status").asText();
    }

    private void handle(HttpServerRequest req) {
        req.body().onComplete(ar -> {
            String body = ar.succeeded() ? ar.result().toString(StandardCharsets.UTF_8) : "";
            Map<String, String> form = parseForm(body);
            boolean authorized = authorized(req.getHeader("Authorization"));
            if (!authorized) {
                answer(req, form, false, 401, error(20003, "Authenticate", 401));
                return;
            }
            String path = req.path();
            Matcher many = CALLS.matcher(path);
            Matcher one = CALL.matcher(path);
            if (many.matches() && req.method().name().equals("POST")) {
                create(req, form, many.group(1));
            } else if (one.matches() && req.method().name().equals("POST")) {
                update(req, form, one.group(2));
            } else if (one.matches() && req.method().name().equals("GET")) {
                ObjectNode call = calls.get(one.group(2));
                answer(req, form, true, call == null ? 404 : 200, call == null ? notFound(path) : call);
            } else {
                answer(req, form, true, 404, notFound(path));
            }
        });
    }

    private void create(HttpServerRequest req, Map<String, String> form, String account) {
        if (!account.equals(accountSid)) {
            answer(req, form, true, 404, notFound(req.path()));
            return;
        }
        if (!req.getHeader("Content-Type").startsWith("application/x-www-form-urlencoded")) {
            answer(req, form, true, 400, error(20001, "Content-Type must be application/x-www-form-urlencoded", 400));
            return;
        }
        if (!form.containsKey("To") || !form.containsKey("From")) {
            answer(req, form, true, 400, error(21201, "Required parameters To and From are missing", 400));
            return;
        }
        if (!form.containsKey("Url") && !form.containsKey("Twiml") && !form.containsKey("ApplicationSid")) {
            answer(req, form, true, 400, error(21205, "Url, Twiml or ApplicationSid is required", 400));
            return;
        }
        if (form.containsKey("Twiml") && form.get("Twiml").length() > 4000) {
            answer(req, form, true, 400, error(21232, "Twiml is longer than 4000 characters", 400));
            return;
        }
        String sid = newCallSid();
        ObjectNode call = callJson(sid, form.get("From"), form.get("To"), "queued", "outbound-api");
        calls.put(sid, call);
        created.add(sid);
        answer(req, form, true, 201, call);
        listeners.forEach(l -> l.accept(new CallUpdate(sid, form)));
    }

    private void update(HttpServerRequest req, Map<String, String> form, String sid) {
        ObjectNode call = calls.get(sid);
        String status = call == null ? null : call.path("status").asText();
        boolean finished = status != null && List.of("completed", "busy", "failed", "no-answer", "canceled").contains(status);
        if (call == null || finished) {
            answer(req, form, true, 404, notFound(req.path()));
            return;
        }
        if (form.containsKey("Twiml") && form.containsKey("Url")) {
            answer(req, form, true, 400, error(21220, "Url and Twiml are mutually exclusive", 400));
            return;
        }
        String newStatus = form.get("Status");
        if (newStatus != null) {
            if (!newStatus.equals("completed") && !newStatus.equals("canceled")) {
                answer(req, form, true, 400, error(21220, "Status must be completed or canceled", 400));
                return;
            }
            call.put("status", newStatus.equals("canceled") && status.equals("in-progress") ? status : newStatus);
        }
        call.put("date_updated", rfc1123());
        Matcher conference = CONFERENCE.matcher(form.getOrDefault("Twiml", ""));
        if (conference.find()) {
            conferences.computeIfAbsent(conference.group(1), name -> new CopyOnWriteArrayList<>()).add(sid);
        }
        answer(req, form, true, 200, call);
        listeners.forEach(l -> l.accept(new CallUpdate(sid, form)));
    }

    /** The calls a REST update moved into each conference ({@code <Dial><Conference>name}), in the order they joined. */
    public Map<String, List<String>> conferences() {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        conferences.forEach((name, sids) -> copy.put(name, List.copyOf(sids)));
        return copy;
    }

    private boolean authorized(String header) {
        if (header == null || !header.startsWith("Basic ")) {
            return false;
        }
        String expected = Base64.getEncoder().encodeToString((accountSid + ":" + authToken).getBytes(StandardCharsets.UTF_8));
        return java.security.MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                header.substring(6).getBytes(StandardCharsets.UTF_8));
    }

    private void answer(HttpServerRequest req, Map<String, String> form, boolean authorized, int status, ObjectNode body) {
        requests.add(new RecordedRequest(req.method().name(), req.path(), Map.copyOf(form), authorized, status));
        req.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.toString());
    }

    private ObjectNode callJson(String sid, String from, String to, String status, String direction) {
        String now = rfc1123();
        ObjectNode c = JSON.createObjectNode();
        c.put("sid", sid).put("account_sid", accountSid).put("to", to).put("to_formatted", to).put("from", from)
                .put("from_formatted", from).put("status", status).put("direction", direction).put("api_version", "2010-04-01")
                .put("date_created", now).put("date_updated", now).putNull("start_time").putNull("end_time")
                .putNull("duration").putNull("price").put("price_unit", "USD").putNull("answered_by")
                .putNull("parent_call_sid").put("phone_number_sid", "PN" + "0".repeat(32))
                .put("uri", "/2010-04-01/Accounts/" + accountSid + "/Calls/" + sid + ".json");
        return c;
    }

    private static ObjectNode error(int code, String message, int status) {
        ObjectNode e = JSON.createObjectNode();
        e.put("code", code).put("message", message).put("more_info", "https://www.twilio.com/docs/errors/" + code).put("status", status);
        return e;
    }

    private static ObjectNode notFound(String path) {
        return error(20404, "The requested resource " + path + " was not found", 404);
    }

    private static String rfc1123() {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC));
    }

    static Map<String, String> parseForm(String body) {
        Map<String, String> form = new java.util.LinkedHashMap<>();
        if (body == null || body.isEmpty()) {
            return form;
        }
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.put(java.net.URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return form;
    }

    @Override
    public void close() {
        try {
            server.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // closing anyway
        }
        if (ownsVertx) {
            vertx.close();
        }
    }
}
