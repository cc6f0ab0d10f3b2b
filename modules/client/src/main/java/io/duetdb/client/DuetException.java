package io.duetdb.client;

import io.grpc.Status;
import java.util.List;

/**
 * A call that failed: the gRPC status code of the last attempt and a message that says what was
 * tried and what to do. Unchecked.
 *
 * <p>What the codes mean, and whether the client retried them, is listed in the module README:
 * for example {@code INVALID_ARGUMENT} (the request is wrong; never retried), {@code UNAVAILABLE}
 * (no endpoint could serve it within the attempts and the deadline), {@code DEADLINE_EXCEEDED},
 * {@code FAILED_PRECONDITION} (a write whose sequence the server no longer remembers).
 */
public final class DuetException extends RuntimeException {
    private final Status.Code code;
    private final String operation;
    private final int attempts;
    private final List<String> endpointsTried;
    private final boolean outcomeUnknown;

    DuetException(final Status.Code code, final String operation, final int attempts,
                  final List<String> endpointsTried, final boolean outcomeUnknown, final String message,
                  final Throwable cause) {
        super(message, cause);
        this.code = code;
        this.operation = operation;
        this.attempts = attempts;
        this.endpointsTried = List.copyOf(endpointsTried);
        this.outcomeUnknown = outcomeUnknown;
    }

    /** A request refused by the client before it was sent (nothing was applied). */
    static DuetException refused(final String operation, final String why) {
        return new DuetException(Status.Code.INVALID_ARGUMENT, operation, 0, List.of(), false,
            operation + " failed: INVALID_ARGUMENT: " + why + " (refused by the client, not sent)", null);
    }

    /** The gRPC status code of the failure (of the last attempt, when there were several). */
    public Status.Code code() {
        return code;
    }

    /** The operation, for example {@code "put"} or {@code "member list"}. */
    public String operation() {
        return operation;
    }

    /** How many attempts were sent (0: refused before sending). */
    public int attempts() {
        return attempts;
    }

    /** The endpoints the attempts went to, in order of first use. */
    public List<String> endpointsTried() {
        return endpointsTried;
    }

    /**
     * True for a write that may or may not have been applied: an attempt failed in a way that does
     * not say (a lost reply, a timeout, a node that went away). Read the keys to find out.
     */
    public boolean outcomeUnknown() {
        return outcomeUnknown;
    }
}
