package dev.switchboard.relay.live;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Call events on their way to live subscribers. A call only ever offers an event to a bounded queue
 * (never waits, never touches the network); one thread of its own hands the events to every
 * {@link LiveEventSink}. When subscribers are slow and the queue is full, new events are dropped and
 * counted ({@link #dropped()}), so watching calls can never slow a call down.
 */
public final class LiveEvents {

    private static final Logger LOG = Logger.getLogger(LiveEvents.class);
    static final int CAPACITY = 10_000;

    private record Pending(String callSid, String json) {
    }

    private final BlockingQueue<Pending> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final List<LiveEventSink> sinks;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    private final Thread worker;

    public LiveEvents(List<LiveEventSink> sinks) {
        this.sinks = List.copyOf(sinks);
        this.worker = new Thread(this::deliver, "switchboard-live-events");
        this.worker.setDaemon(true);
        if (!this.sinks.isEmpty()) {
            this.worker.start();
        }
    }

    /** Whether anyone could receive events: when not, callers need not build them. */
    public boolean wanted() {
        return !sinks.isEmpty();
    }

    /** Queues an event; returns at once. A full queue drops it (counted, logged once per thousand). */
    public void publish(String callSid, String json) {
        if (sinks.isEmpty()) {
            return;
        }
        if (!queue.offer(new Pending(callSid, json))) {
            long n = dropped.incrementAndGet();
            if (n == 1 || n % 1000 == 0) {
                LOG.warnf("live events: %d dropped so far (subscribers slower than the calls)", n);
            }
        }
    }

    public long dropped() {
        return dropped.get();
    }

    public long delivered() {
        return delivered.get();
    }

    private void deliver() {
        while (!Thread.currentThread().isInterrupted()) {
            Pending next;
            try {
                next = queue.poll(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (next == null) {
                continue;
            }
            for (LiveEventSink sink : sinks) {
                try {
                    sink.accept(next.callSid(), next.json());
                } catch (RuntimeException e) {
                    LOG.debugf("live events: a sink failed: %s", e.toString()); // a sink must not stop the others
                }
            }
            delivered.incrementAndGet();
        }
    }

    /** Stops delivering (at shutdown); what is still queued is dropped. */
    public void close() {
        worker.interrupt();
    }
}
