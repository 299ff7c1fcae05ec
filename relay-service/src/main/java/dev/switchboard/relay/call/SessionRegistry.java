package dev.switchboard.relay.call;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The live call sessions of this relay, by CallSid: the only state shared between calls. */
public final class SessionRegistry {

    private final Map<String, CallSession> byCallSid = new ConcurrentHashMap<>();

    /** False if a session for this call is already live here (a duplicate stream). */
    boolean register(String callSid, CallSession session) {
        return byCallSid.putIfAbsent(callSid, session) == null;
    }

    void remove(String callSid, CallSession session) {
        byCallSid.remove(callSid, session);
    }

    public Optional<CallSession> find(String callSid) {
        return Optional.ofNullable(byCallSid.get(callSid));
    }

    public int size() {
        return byCallSid.size();
    }

    public Collection<CallSession> all() {
        return byCallSid.values();
    }
}
