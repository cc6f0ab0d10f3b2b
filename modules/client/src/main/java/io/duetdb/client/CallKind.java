package io.duetdb.client;

import io.grpc.Status;

/**
 * What a call is, for retrying: which failures of an attempt are safe to send again.
 */
enum CallKind {
    /**
     * Reads (range, status, member list) change nothing, so any endpoint may be asked again when
     * one is unreachable or did not answer within its attempt's time.
     */
    READ,
    /**
     * Writes carry a write id, so sending one again cannot apply it twice: the server answers a
     * repeat with "duplicate". Retried also when the node's write queue is full.
     */
    WRITE,
    /**
     * Sent once: membership and leadership changes (a repeat is not harmless: "already exists",
     * a second transfer), and a status of one given endpoint (the answer is that endpoint's).
     */
    ONCE;

    /**
     * Whether an attempt that failed with {@code code} may be sent again. {@code INVALID_ARGUMENT}
     * (the request is wrong) and {@code FAILED_PRECONDITION} (for writes: a sequence the server no
     * longer remembers, so a repeat could apply twice) never are, nor a message too large for gRPC.
     */
    boolean retries(final Status status) {
        final Status.Code code = status.getCode();
        if (code == Status.Code.RESOURCE_EXHAUSTED && Failures.isMessageTooLarge(status)) {
            return false; // the same message is as large the next time
        }
        if (Failures.isSpaceExceeded(status)) {
            return false; // space comes back when someone deletes, not within a retry's backoff
        }
        return switch (this) {
            case READ -> code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED;
            case WRITE -> code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED
                || code == Status.Code.RESOURCE_EXHAUSTED;
            case ONCE -> false;
        };
    }

    /**
     * Whether a write attempt that failed with {@code code} was surely not applied: refused before
     * it reached the log (invalid, or the write queue was full), or refused at apply by the space
     * quota (also RESOURCE_EXHAUSTED: nothing of it was applied).
     */
    static boolean surelyNotApplied(final Status.Code code) {
        return code == Status.Code.INVALID_ARGUMENT || code == Status.Code.RESOURCE_EXHAUSTED;
    }
}
