package dev.switchboard.simulator.realtime;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** A client event the simulator received, on which connection, and whether it rejected it. */
public record RecordedEvent(int connection, String type, ObjectNode json, boolean rejected, String rejection, long atNanos) {

    public RecordedEvent(int connection, String type, ObjectNode json, boolean rejected, String rejection) {
        this(connection, type, json, rejected, rejection, System.nanoTime());
    }
}
