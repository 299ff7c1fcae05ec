package dev.switchboard.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.switchboard.core.webhook.TwilioWebhooks;
import jakarta.inject.Named;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** {@code POST /twilio/stream-ended} (the {@code <Connect action>}): Lambda handler {@code twilio-stream-ended}. */
@Named("twilio-stream-ended")
public class TwilioStreamEndedHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    private final TwilioWebhooks webhooks;
    private final Optional<String> publicBaseUrl;

    public TwilioStreamEndedHandler(TwilioWebhooks webhooks, @ConfigProperty(name = "PUBLIC_BASE_URL") Optional<String> publicBaseUrl) {
        this.webhooks = webhooks;
        this.publicBaseUrl = publicBaseUrl.map(u -> u.replaceAll("/$", ""));
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return ApiGatewayWebhooks.toResponse(webhooks.streamEnded(ApiGatewayWebhooks.toWebhook(event, publicBaseUrl)));
    }
}
