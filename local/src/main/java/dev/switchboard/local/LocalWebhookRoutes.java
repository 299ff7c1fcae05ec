package dev.switchboard.local;

import dev.switchboard.core.config.Settings;
import dev.switchboard.core.webhook.FormBodies;
import dev.switchboard.core.webhook.TwilioWebhooks;
import dev.switchboard.core.webhook.WebhookRequest;
import dev.switchboard.core.webhook.WebhookResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;
import java.util.Optional;

/**
 * In local mode the relay also answers Twilio's webhooks, with the same core logic the Lambda
 * functions run on AWS, so one process is a whole Switchboard.
 */
@Singleton
public class LocalWebhookRoutes {

    static final int MAX_WEBHOOK_BODY = 64 * 1024;

    void register(@Observes Router router, Instance<TwilioWebhooks> webhooks, Instance<Settings> settings) {
        for (String path : new String[] {TwilioWebhooks.VOICE, TwilioWebhooks.STATUS, TwilioWebhooks.STREAM_STATUS,
                TwilioWebhooks.DIAL_RESULT, TwilioWebhooks.AMD, TwilioWebhooks.STREAM_ENDED}) {
            router.post(path)
                    .handler(BodyHandler.create().setBodyLimit(MAX_WEBHOOK_BODY))
                    .blockingHandler(ctx -> answer(ctx, webhooks.get(), settings.get().publicBaseUrl().toString()), false);
        }
    }

    private static void answer(RoutingContext ctx, TwilioWebhooks webhooks, String publicBaseUrl) {
        String body = ctx.body() == null ? "" : ctx.body().asString();
        WebhookRequest request = new WebhookRequest(publicBaseUrl, ctx.request().path(), Optional.ofNullable(ctx.request().query()),
                FormBodies.parse(body), Optional.ofNullable(ctx.request().getHeader("X-Twilio-Signature")));
        WebhookResponse response = webhooks.handle(request);
        ctx.response().setStatusCode(response.status()).putHeader("Content-Type", response.contentType()).end(response.body());
    }
}
