package io.duetdb.client;

/**
 * The client's settings, fixed at build time (see {@link DuetClient.Builder} for what each means
 * and its default).
 */
record ClientConfig(long requestTimeoutMs, long attemptTimeoutMs, int maxAttempts, long backoffInitialMs,
                    long backoffMaxMs, int maxRequestBytes, int maxInboundMessageBytes,
                    long leaderRefreshTimeoutMs) {
    ClientConfig {
        positive(requestTimeoutMs, "requestTimeout");
        positive(attemptTimeoutMs, "attemptTimeout");
        positive(maxAttempts, "maxAttempts");
        positive(backoffInitialMs, "initial backoff");
        positive(maxRequestBytes, "maxRequestBytes");
        positive(maxInboundMessageBytes, "maxInboundMessageBytes");
        positive(leaderRefreshTimeoutMs, "leader refresh timeout");
        if (backoffMaxMs < backoffInitialMs) {
            throw new IllegalArgumentException("the maximum backoff (" + backoffMaxMs + " ms) is below the initial "
                + "backoff (" + backoffInitialMs + " ms)");
        }
    }

    private static void positive(final long value, final String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive (got " + value + ")");
        }
    }
}
