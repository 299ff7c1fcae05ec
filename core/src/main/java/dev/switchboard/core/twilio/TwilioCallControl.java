package dev.switchboard.core.twilio;

import com.twilio.base.Resource;
import com.twilio.exception.ApiException;
import com.twilio.http.HttpClient;
import com.twilio.http.NetworkHttpClient;
import com.twilio.http.Request;
import com.twilio.http.Response;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Call;
import com.twilio.type.Twiml;
import java.net.URI;

/** {@link CallControl} over Twilio's REST API with the official SDK. */
public final class TwilioCallControl implements CallControl {

    static final int CALL_NOT_FOUND = 20404;

    private final TwilioRestClient client;

    public TwilioCallControl(String accountSid, String authToken, URI apiBaseUrl) {
        initialiseSdk();
        TwilioRestClient.Builder b = new TwilioRestClient.Builder(accountSid, authToken);
        if (!apiBaseUrl.toString().startsWith("https://api.twilio.com")) {
            b.httpClient(new BaseUrlHttpClient(apiBaseUrl));
        }
        this.client = b.build();
    }

    /**
     * The SDK's {@code com.twilio.Twilio} registers a JVM shutdown hook when it is first loaded, which
     * fails once shutdown has begun; a relay whose first REST call is the hand-over of its calls at the
     * end of its drain would then never reach Twilio. Loading it now keeps that path open.
     */
    private static void initialiseSdk() {
        try {
            Class.forName("com.twilio.Twilio", true, TwilioCallControl.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("the Twilio SDK is not on the class path", e);
        }
    }

    public TwilioRestClient client() {
        return client;
    }

    @Override
    public boolean hangUp(String callSid) {
        return ifCallExists(() -> Call.updater(callSid).setStatus(Call.UpdateStatus.COMPLETED).update(client));
    }

    @Override
    public String place(String to, String from, String twiml, String statusCallback, java.util.Optional<String> amdCallback,
                        boolean waitForBeep) {
        var creator = Call.creator(new com.twilio.type.PhoneNumber(to), new com.twilio.type.PhoneNumber(from), new Twiml(twiml))
                .setStatusCallback(statusCallback)
                .setStatusCallbackMethod(com.twilio.http.HttpMethod.POST)
                .setStatusCallbackEvent(java.util.List.of("initiated", "ringing", "answered", "completed"));
        amdCallback.ifPresent(url -> creator.setMachineDetection(waitForBeep ? "DetectMessageEnd" : "Enable").setAsyncAmd("true")
                .setAsyncAmdStatusCallback(url).setAsyncAmdStatusCallbackMethod(com.twilio.http.HttpMethod.POST));
        return creator.create(client).getSid();
    }

    @Override
    public boolean redirect(String callSid, String twiml) {
        return ifCallExists(() -> Call.updater(callSid).setTwiml(new Twiml(twiml)).update(client));
    }

    private static boolean ifCallExists(java.util.function.Supplier<? extends Resource> action) {
        try {
            action.get();
            return true;
        } catch (ApiException e) {
            if (e.getCode() != null && e.getCode() == CALL_NOT_FOUND) {
                return false;
            }
            throw e;
        }
    }

    /**
     * The SDK has no base-URL setting; this client rewrites each request's scheme, host and port so
     * that the same SDK calls reach a Twilio-compatible endpoint (the simulator, a proxy).
     */
    static final class BaseUrlHttpClient extends HttpClient {
        private final NetworkHttpClient delegate = new NetworkHttpClient();
        private final URI base;

        BaseUrlHttpClient(URI base) {
            this.base = base;
        }

        @Override
        public Response makeRequest(Request request) {
            URI original = URI.create(request.getUrl());
            String rewritten = base.toString().replaceAll("/$", "") + original.getRawPath();
            Request copy = new Request(request.getMethod(), rewritten);
            request.getPostParams().forEach((k, vs) -> vs.forEach(v -> copy.addPostParam(k, v)));
            request.getQueryParams().forEach((k, vs) -> vs.forEach(v -> copy.addQueryParam(k, v)));
            request.getHeaderParams().forEach((k, vs) -> vs.forEach(v -> copy.addHeaderParam(k, v)));
            if (request.getContentType() != null) {
                copy.setContentType(request.getContentType());
            }
            if (request.getBody() != null) {
                copy.setBody(request.getBody());
            }
            copy.setAuth(request.getUsername(), request.getPassword());
            return delegate.makeRequest(copy);
        }
    }
}
