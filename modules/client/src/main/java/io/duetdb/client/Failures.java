package io.duetdb.client;

import io.grpc.Status;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Turns the last failure of a call into a {@link DuetException} whose message says what to do. */
final class Failures {
    private Failures() {
    }

    /** gRPC's own refusal of a message above a size limit (either side's). */
    static boolean isMessageTooLarge(final Status status) {
        final String d = status.getDescription();
        return d != null && d.contains("exceeds maximum size");
    }

    /** The cluster's space quota refused the write (the server's message starts so). */
    static boolean isSpaceExceeded(final Status status) {
        final String d = status.getDescription();
        return status.getCode() == Status.Code.RESOURCE_EXHAUSTED && d != null && d.startsWith("space exceeded");
    }

    static DuetException of(final CallSpec spec, final Status status, final Throwable cause, final int attempts,
                            final List<String> tried, final boolean outcomeUnknown, final int maxInboundBytes) {
        final long elapsedMs = spec.timeoutMs() - TimeUnit.NANOSECONDS.toMillis(spec.deadlineNanos()
            - System.nanoTime());
        final StringBuilder m = new StringBuilder(spec.operation()).append(" failed with ")
            .append(status.getCode()).append(" after ").append(attempts).append(attempts == 1 ? " attempt" : " attempts")
            .append(" in ").append(Math.max(0, elapsedMs)).append(" ms (timeout ").append(spec.timeoutMs())
            .append(" ms; endpoints tried: ").append(tried.isEmpty() ? "none" : String.join(", ", tried)).append(")");
        if (status.getDescription() != null) {
            m.append(": ").append(status.getDescription());
        }
        // gRPC's description of a transport failure is as vague as "io exception": add why.
        Throwable root = status.getCause();
        while (root != null && root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root != null && root.getMessage() != null) {
            m.append(" (").append(root.getMessage()).append(")");
        }
        final String hint = hint(status, maxInboundBytes);
        if (!hint.isEmpty()) {
            m.append(". ").append(hint);
        }
        if (outcomeUnknown) {
            m.append(" The write may or may not have been applied: read the keys to find out.");
        }
        return new DuetException(status.getCode(), spec.operation(), attempts, tried, outcomeUnknown, m.toString(),
            cause);
    }

    private static String hint(final Status status, final int maxInboundBytes) {
        return switch (status.getCode()) {
            case UNAVAILABLE -> "No endpoint could serve it: check that the endpoints are right and their nodes run, "
                + "and the TLS settings (a plaintext client against a TLS node, an untrusted server certificate, or "
                + "a missing or refused client certificate also show as UNAVAILABLE).";
            case DEADLINE_EXCEEDED -> "Raise the timeout (requestTimeout, or withTimeout for one call), or check the "
                + "cluster's health (cluster().statusAll()).";
            case RESOURCE_EXHAUSTED -> isMessageTooLarge(status)
                ? "A message is above a size limit (this client accepts replies up to maxInboundMessageBytes = "
                    + maxInboundBytes + " bytes): read with a limit and page (RangeQuery.after), or write less at once."
                : isSpaceExceeded(status)
                ? "The cluster's space quota is full; it was not retried. Reads and deletes still work: delete keys "
                    + "to free space, or raise space-quota-bytes on every member (duetctl endpoint status shows usage)."
                : "The node's write queue stayed full: slow down.";
            case INVALID_ARGUMENT -> "The request is invalid; it was not retried.";
            case FAILED_PRECONDITION, ALREADY_EXISTS, NOT_FOUND -> "Not retried.";
            default -> "";
        };
    }
}
