package dev.switchboard.core.call;

public enum Direction {
    INBOUND, OUTBOUND
}
