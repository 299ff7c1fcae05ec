package dev.switchboard.core.call;

/**
 * The relay's claim on a call when Twilio opens its media stream: the presented token's hash, the
 * stream, and the relay's own address (so other processes can reach the relay that holds the call).
 */
public record StreamClaim(String callSid, String presentedTokenHash, String streamSid, String relayAddress) {
}
