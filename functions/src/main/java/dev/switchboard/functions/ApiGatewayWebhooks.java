package dev.switchboard.functions;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.switchboard.core.webhook.FormBodies;
import dev.switchboard.core.webhook.WebhookRequest;
import dev.switchboard.core.webhook.WebhookResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/** Converts between API Gateway HTTP API (payload 2.0) events and core's webhook types. */
final class ApiGatewayWebhooks {

    private ApiGatewayWebhooks() {
    }

    /**
     * @param configuredBase {@code PUBLIC_BASE_URL} when set (a custom domain); otherwise the API's own
     *                       domain from the event, which is what Twilio called and signed
     */
    static WebhookRequest toWebhook(APIGatewayV2HTTPEvent event, Optional<String> configuredBase) {
        String body = event.getBody() == null ? "" : event.getBody();
        if (event.getIsBase64Encoded()) {
            body = new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
        }
        Map<String, String> headers = event.getHeaders() == null ? Map.of() : event.getHeaders();
        Optional<String> signature = headers.entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase("x-twilio-signature"))
                .map(Map.Entry::getValue).findFirst();
        Optional<String> query = Optional.ofNullable(event.getRawQueryString()).filter(q -> !q.isEmpty());
        String base = configuredBase.orElseGet(() -> "https://" + event.getRequestContext().getDomainName());
        return new WebhookRequest(base, event.getRawPath(), query, FormBodies.parse(body), signature);
    }

    static APIGatewayV2HTTPResponse toResponse(WebhookResponse response) {
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(response.status())
                .withHeaders(Map.of("Content-Type", response.contentType()))
                .withBody(response.body())
                .build();
    }
}
