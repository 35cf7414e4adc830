package org.dtls4j.netty;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The one scheduled task of a handler: armed for the earliest deadline of its connections, never one task
 * per connection. A later deadline leaves an earlier task in place (it fires early, finds nothing due, and
 * the handler arms again), so a busy handler does not cancel and reschedule on every datagram.
 */
final class EventLoopTimer {
    private final Runnable onExpiry;
    private ScheduledFuture<?> task;
    private long deadline = Long.MAX_VALUE;

    EventLoopTimer(Runnable onExpiry) {
        this.onExpiry = onExpiry;
    }

    /** Makes sure a task runs no later than {@code deadlineNanos}; {@link Long#MAX_VALUE} means none is needed. */
    void arm(EventExecutor executor, long deadlineNanos, long nowNanos) {
        if (deadlineNanos == Long.MAX_VALUE || (task != null && deadline <= deadlineNanos)) {
            return;
        }
        cancel();
        deadline = deadlineNanos;
        task = executor.schedule(this::fire, Math.max(0, deadlineNanos - nowNanos), TimeUnit.NANOSECONDS);
    }

    private void fire() {
        task = null;
        deadline = Long.MAX_VALUE;
        onExpiry.run();
    }

    void cancel() {
        if (task != null) {
            task.cancel(false);
            task = null;
        }
        deadline = Long.MAX_VALUE;
    }

    /** Whether a task is scheduled (for tests). */
    boolean isArmed() {
        return task != null;
    }
}
