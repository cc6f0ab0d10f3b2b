package io.duetdb.server.replication;

import io.duetdb.api.internal.v1.EntryOutcome;
import io.duetdb.api.internal.v1.WriteOutcome;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Coalesces concurrent client writes into Raft entries. A write that arrives while fewer than
 * {@code maxInFlightEntries} entries are being replicated goes out at once; the others queue and
 * leave together, as one entry, when an entry completes. No timer: under light load every write is
 * its own entry, under heavy load entries fill up, and the batch size follows the replication
 * latency by itself.
 *
 * <p>Limits: an entry holds at most {@code maxEntryWrites} writes and {@code maxEntryBytes} bytes
 * (below Ratis's per-entry limit); the queue holds at most {@code maxQueuedWrites} writes and
 * {@code maxQueuedBytes} bytes, beyond which a write fails at once with {@link QueueFullException}.
 */
public final class WriteBatcher {
    /** Proposes one entry; completes with the entry's outcome. */
    @FunctionalInterface
    public interface EntryProposer {
        CompletableFuture<EntryOutcome> propose(byte[] request);
    }

    /** The queue is at its limit. */
    public static final class QueueFullException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        QueueFullException(final String message) {
            super(message);
        }
    }

    /** Batching limits; see the class comment. */
    public record Limits(int maxInFlightEntries, int maxEntryWrites, int maxEntryBytes, int maxQueuedWrites,
                         long maxQueuedBytes) {
        public Limits {
            if (maxInFlightEntries < 1 || maxEntryWrites < 1 || maxEntryWrites > IntentHeader.MAX_WRITES
                || maxEntryBytes < 1 || maxEntryBytes > ReplicaLimits.MAX_ENTRY_BYTES || maxQueuedWrites < 1
                || maxQueuedBytes < maxEntryBytes) {
                throw new IllegalArgumentException("batching limits out of range: " + this);
            }
        }

        /** Defaults: 4 entries in flight, 10,000 writes / 3 MiB per entry, 100,000 writes / 256 MiB queued. */
        public static Limits defaults() {
            return new Limits(4, IntentHeader.MAX_WRITES, ReplicaLimits.MAX_ENTRY_BYTES, 100_000, 256L << 20);
        }

        /**
         * The queue's byte limit for a JVM with {@code maxHeapBytes} of heap: an eighth of it, at
         * most the default's 256 MiB and at least one entry. A queue as large as a small heap would
         * fill it before the space quota could say no.
         */
        public static long queuedBytesForHeap(final long maxHeapBytes) {
            return Math.max(ReplicaLimits.MAX_ENTRY_BYTES, Math.min(defaults().maxQueuedBytes(), maxHeapBytes / 8));
        }

        /** No batching: one write per entry (for comparison in benchmarks). */
        public Limits unbatched() {
            return new Limits(maxInFlightEntries, 1, maxEntryBytes, maxQueuedWrites, maxQueuedBytes);
        }
    }

    private record Pending(ClientWrite write, byte[] payload, CompletableFuture<WriteOutcome> result) {
        int sizeBytes() {
            return payload.length + IntentHeader.PER_WRITE_BYTES;
        }
    }

    private final EntryProposer proposer;
    private final Limits limits;
    private final long spaceQuotaBytes;
    private final ArrayDeque<Pending> queue = new ArrayDeque<>(); // guarded by this
    private long queuedBytes; // guarded by this
    private int inFlight; // guarded by this
    private long entries; // guarded by this
    private long writes; // guarded by this

    /** A batcher whose entries carry no space quota. */
    public WriteBatcher(final EntryProposer proposer, final Limits limits) {
        this(proposer, limits, 0);
    }

    /** @param spaceQuotaBytes the quota every entry carries, for every replica to apply ({@link SpaceQuota}) */
    public WriteBatcher(final EntryProposer proposer, final Limits limits, final long spaceQuotaBytes) {
        if (spaceQuotaBytes < 0) {
            throw new IllegalArgumentException("spaceQuotaBytes=" + spaceQuotaBytes + " must be >= 0");
        }
        this.proposer = proposer;
        this.limits = limits;
        this.spaceQuotaBytes = spaceQuotaBytes;
    }

    /**
     * Submits a write (validated by the caller). The future completes with its outcome, or fails
     * with the entry's failure.
     *
     * @throws QueueFullException when the queue is at its limit
     */
    public CompletableFuture<WriteOutcome> submit(final ClientWrite write) {
        final Pending p = new Pending(write, EntryCodec.encodePayload(write.op()), new CompletableFuture<>());
        if (p.sizeBytes() + IntentHeader.FIXED_BYTES + EntryCodec.LENGTH_PREFIX_BYTES > limits.maxEntryBytes()) {
            throw new IllegalArgumentException("a write of " + p.payload.length + " bytes does not fit an entry of "
                + limits.maxEntryBytes() + " bytes");
        }
        synchronized (this) {
            if (queue.size() >= limits.maxQueuedWrites() || queuedBytes + p.sizeBytes() > limits.maxQueuedBytes()) {
                throw new QueueFullException("the write queue is full (" + queue.size() + " writes, " + queuedBytes
                    + " bytes; limits " + limits.maxQueuedWrites() + " writes, " + limits.maxQueuedBytes()
                    + " bytes): retry with backoff");
            }
            queue.add(p);
            queuedBytes += p.sizeBytes();
        }
        drain();
        return p.result;
    }

    private void drain() {
        while (true) {
            final List<Pending> batch;
            synchronized (this) {
                if (inFlight >= limits.maxInFlightEntries() || queue.isEmpty()) {
                    return;
                }
                batch = new ArrayList<>();
                int bytes = IntentHeader.FIXED_BYTES + EntryCodec.LENGTH_PREFIX_BYTES;
                while (!queue.isEmpty() && batch.size() < limits.maxEntryWrites()
                    && bytes + queue.peek().sizeBytes() <= limits.maxEntryBytes()) {
                    final Pending p = queue.poll();
                    bytes += p.sizeBytes();
                    queuedBytes -= p.sizeBytes();
                    batch.add(p);
                }
                inFlight++;
                entries++;
                writes += batch.size();
            }
            send(batch);
        }
    }

    private void send(final List<Pending> batch) {
        final List<ClientWrite> clientWrites = new ArrayList<>(batch.size());
        final List<byte[]> payloads = new ArrayList<>(batch.size());
        for (final Pending p : batch) {
            clientWrites.add(p.write);
            payloads.add(p.payload);
        }
        CompletableFuture<EntryOutcome> proposed;
        try {
            proposed = proposer.propose(EntryCodec.encodeRequest(clientWrites, payloads, spaceQuotaBytes));
        } catch (final RuntimeException e) {
            proposed = CompletableFuture.failedFuture(e);
        }
        proposed.whenComplete((outcome, error) -> {
            synchronized (this) {
                inFlight--;
            }
            for (int i = 0; i < batch.size(); i++) {
                final CompletableFuture<WriteOutcome> result = batch.get(i).result;
                if (error != null) {
                    result.completeExceptionally(error);
                } else if (outcome.getWritesCount() != batch.size()) {
                    result.completeExceptionally(new IllegalStateException("an entry of " + batch.size()
                        + " writes returned " + outcome.getWritesCount() + " outcomes"));
                } else {
                    result.complete(outcome.getWrites(i));
                }
            }
            drain();
        });
    }

    /** Average writes per entry so far (1.0 means no coalescing happened). */
    public synchronized double averageWritesPerEntry() {
        return entries == 0 ? 0 : (double) writes / entries;
    }
}
