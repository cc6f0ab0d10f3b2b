package io.duetdb.bench.load;

import java.util.concurrent.CompletableFuture;

/**
 * The generator's view of a system: connections that send one request each and complete a future
 * with its outcome. Drivers must not block the calling thread (the generator sends the next
 * request from the completion of the previous one).
 */
public interface KvDriver extends AutoCloseable {

    /** Opens connection number {@code index} (0-based); the driver closes all of them on close. */
    Connection connect(int index) throws Exception;

    @Override
    void close() throws Exception;

    /** One connection (a client with its own gRPC channel). */
    interface Connection {
        CompletableFuture<?> put(byte[] key, byte[] value);

        CompletableFuture<?> range(byte[] key, boolean serializable);

        /**
         * If {@code key} holds {@code expected} ({@code null}: if it does not exist), set it to
         * {@code next}; otherwise read it. One transaction.
         */
        CompletableFuture<CasOutcome> compareAndSwap(byte[] key, byte[] expected, byte[] next);
    }

    /** What a compare-and-swap did: swapped, or the value found instead ({@code null}: no key). */
    record CasOutcome(boolean swapped, byte[] current) {
        static final CasOutcome SWAPPED = new CasOutcome(true, null);
    }
}
