package io.duetdb.client;

import java.util.concurrent.TimeUnit;

/**
 * How to run one logical call.
 *
 * @param operation      its name in error messages ("put", "range", "member list")
 * @param kind           which failures may be retried
 * @param route          where attempts go
 * @param fixed          the endpoint of a {@link Route#FIXED} call, else null
 * @param timeoutMs      the whole call's time, all attempts and pauses included
 * @param deadlineNanos  when the call must be done, on the {@link System#nanoTime()} clock
 */
record CallSpec(String operation, CallKind kind, Route route, Endpoint fixed, long timeoutMs, long deadlineNanos) {
    /** A call that starts now and has {@code timeoutMs}. */
    static CallSpec of(final String operation, final CallKind kind, final Route route, final Endpoint fixed,
                       final long timeoutMs) {
        return new CallSpec(operation, kind, route, fixed, timeoutMs,
            System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs));
    }

    long remainingMs() {
        return TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
    }
}
