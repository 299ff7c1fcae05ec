package dev.switchboard.relay.call;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/** The live call sessions of this relay, by CallSid, and the count of sockets refused for sending no start: the only state shared between calls. */
public final class SessionRegistry {

    private static final Logger LOG = Logger.getLogger(SessionRegistry.class);

    private final Map<String, CallSession> byCallSid = new ConcurrentHashMap<>();
    private final AtomicLong closedWithoutStart = new AtomicLong();

    /**
     * Registers the session that now holds the call (its claim succeeded); returns the older session of
     * the same call still here, if any, which has lost the call (its stream was cut and Twilio resumed it).
     */
    Optional<CallSession> register(String callSid, CallSession session) {
        CallSession older = byCallSid.put(callSid, session);
        return older == session ? Optional.empty() : Optional.ofNullable(older);
    }

    void remove(String callSid, CallSession session) {
        byCallSid.remove(callSid, session);
    }

    public Optional<CallSession> find(String callSid) {
        return Optional.ofNullable(byCallSid.get(callSid));
    }

    /** A media socket was closed because it sent no valid {@code start} in time (not Twilio, or broken). */
    void closedWithoutStart() {
        long n = closedWithoutStart.incrementAndGet();
        if (n <= 3 || n % 1000 == 0) { // a flood of such sockets must not flood the log
            LOG.warnf("%d media stream socket(s) closed so far for sending no start", n);
        }
    }

    public long closedWithoutStartCount() {
        return closedWithoutStart.get();
    }

    public int size() {
        return byCallSid.size();
    }

    public Collection<CallSession> all() {
        return byCallSid.values();
    }
}
