package io.duetdb.bench.load;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Failed requests counted by kind: the exception's class and, for gRPC failures, the status code
 * (messages carry addresses and ids, which would make every failure its own kind). At most
 * {@link #MAX_KINDS} kinds; later ones count as "other".
 */
final class ErrorKinds {
    static final int MAX_KINDS = 32;

    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    void add(final Throwable error) {
        String kind = kindOf(error);
        if (!counts.containsKey(kind) && counts.size() >= MAX_KINDS) {
            kind = "other";
        }
        counts.computeIfAbsent(kind, k -> new LongAdder()).increment();
    }

    static String kindOf(final Throwable error) {
        final String name = error.getClass().getSimpleName();
        final String message = String.valueOf(error.getMessage());
        // gRPC (io.grpc.StatusRuntimeException, and the Duet client's DuetException) start their
        // message with the status code: "UNAVAILABLE: ...".
        final int colon = message.indexOf(':');
        final String head = colon > 0 ? message.substring(0, colon) : "";
        return head.matches("[A-Z_]{4,40}") ? name + " " + head : name;
    }

    Map<String, Long> snapshot() {
        final Map<String, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
