package io.duetdb.client;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The pause before retry {@code n}: exponential from {@code initialMs}, capped at {@code maxMs},
 * with "equal jitter" (a random half of it) so that clients failing together do not retry in step.
 */
record Backoff(long initialMs, long maxMs) {
    /** The pause before the attempt after {@code failedAttempts} failed ones (1, 2, ...). */
    long delayMs(final int failedAttempts) {
        final int doublings = Math.min(Math.max(0, failedAttempts - 1), 30);
        final long capped = Math.min(maxMs, initialMs << doublings);
        final long half = capped / 2;
        return half + ThreadLocalRandom.current().nextLong(capped - half + 1);
    }
}
