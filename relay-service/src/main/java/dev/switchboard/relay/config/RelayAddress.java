package dev.switchboard.relay.config;

/** How other processes reach this relay task (stored on each call it holds). */
public record RelayAddress(String value) {
}
