package dev.switchboard.core.webhook;

/** What to answer Twilio: a status, a content type and a body (TwiML, or a short plain-text reason). */
public record WebhookResponse(int status, String contentType, String body) {

    public static WebhookResponse twiml(String xml) {
        return new WebhookResponse(200, "text/xml", xml);
    }

    public static WebhookResponse noContent() {
        return new WebhookResponse(204, "text/plain", "");
    }

    public static WebhookResponse error(int status, String reason) {
        return new WebhookResponse(status, "text/plain", reason);
    }
}
