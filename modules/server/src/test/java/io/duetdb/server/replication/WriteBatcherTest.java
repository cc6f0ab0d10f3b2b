package io.duetdb.server.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duetdb.api.internal.v1.EntryOutcome;
import io.duetdb.api.internal.v1.WriteOutcome;
import io.duetdb.storage.table.Op;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class WriteBatcherTest {
    /** Holds proposals until the test completes them; answers each write with its position. */
    private static final class HeldProposer implements WriteBatcher.EntryProposer {
        final List<CompletableFuture<EntryOutcome>> pending = new ArrayList<>();
        final List<Integer> entrySizes = new ArrayList<>();

        @Override
        public synchronized CompletableFuture<EntryOutcome> propose(final byte[] request) {
            final EntryCodec.Split split = EntryCodec.split(ByteBuffer.wrap(request));
            final int writes = IntentHeader.decode(ByteBuffer.wrap(request, split.headerOffset(),
                split.headerLength()).slice()).writes().size();
            entrySizes.add(writes);
            final CompletableFuture<EntryOutcome> f = new CompletableFuture<>();
            pending.add(f);
            return f;
        }

        void completeNext() {
            final CompletableFuture<EntryOutcome> f;
            final int writes;
            synchronized (this) {
                f = pending.stream().filter(p -> !p.isDone()).findFirst().orElseThrow();
                writes = entrySizes.get(pending.indexOf(f));
            }
            final EntryOutcome.Builder b = EntryOutcome.newBuilder();
            for (int w = 0; w < writes; w++) {
                b.addWrites(WriteOutcome.newBuilder().setRevision(w));
            }
            f.complete(b.build());
        }
    }

    private static ClientWrite put(final int i) {
        return ClientWrite.of(new Op.Put(("k" + i).getBytes(StandardCharsets.UTF_8), new byte[100], false));
    }

    @Test
    void writesArrivingWhileAnEntryIsInFlightLeaveTogether() throws Exception {
        final HeldProposer proposer = new HeldProposer();
        final WriteBatcher batcher = new WriteBatcher(proposer,
            new WriteBatcher.Limits(1, 1000, ReplicaLimits.MAX_ENTRY_BYTES, 10_000, 64L << 20));
        final List<CompletableFuture<WriteOutcome>> results = new ArrayList<>();
        for (int i = 0; i < 51; i++) {
            results.add(batcher.submit(put(i)));
        }
        assertEquals(List.of(1), proposer.entrySizes, "the first write leaves alone, the rest wait");
        proposer.completeNext();
        assertEquals(List.of(1, 50), proposer.entrySizes, "the 50 queued writes leave as one entry");
        proposer.completeNext();
        for (int i = 0; i < results.size(); i++) {
            final WriteOutcome o = results.get(i).get(10, TimeUnit.SECONDS);
            assertEquals(i == 0 ? 0 : i - 1, o.getRevision(), "write " + i + " gets its own outcome");
        }
        assertTrue(batcher.averageWritesPerEntry() > 20);
    }

    @Test
    void entriesRespectTheWriteAndByteLimits() {
        final HeldProposer proposer = new HeldProposer();
        final int perWrite = EntryCodec.encodePayload(put(0).op()).length + IntentHeader.PER_WRITE_BYTES;
        final int entryBytes = IntentHeader.FIXED_BYTES + EntryCodec.LENGTH_PREFIX_BYTES + 3 * perWrite;
        final WriteBatcher batcher = new WriteBatcher(proposer,
            new WriteBatcher.Limits(1, 1000, entryBytes, 10_000, 64L << 20));
        for (int i = 0; i < 8; i++) {
            batcher.submit(put(i));
        }
        for (int i = 0; i < 4; i++) {
            proposer.completeNext();
        }
        assertEquals(List.of(1, 3, 3, 1), proposer.entrySizes);
    }

    @Test
    void aFullQueueRefusesAtOnceAndAFailedEntryFailsEachOfItsWrites() throws Exception {
        final HeldProposer proposer = new HeldProposer();
        final WriteBatcher batcher = new WriteBatcher(proposer,
            new WriteBatcher.Limits(1, 1000, ReplicaLimits.MAX_ENTRY_BYTES, 3, 64L << 20));
        final CompletableFuture<WriteOutcome> first = batcher.submit(put(0));
        final List<CompletableFuture<WriteOutcome>> queued = List.of(batcher.submit(put(1)), batcher.submit(put(2)),
            batcher.submit(put(3)));
        assertThrows(WriteBatcher.QueueFullException.class, () -> batcher.submit(put(4)));
        proposer.completeNext();
        first.get(10, TimeUnit.SECONDS);
        synchronized (proposer) {
            proposer.pending.get(1).completeExceptionally(new IllegalStateException("lost leadership"));
        }
        for (final CompletableFuture<WriteOutcome> q : queued) {
            final ExecutionException e = assertThrows(ExecutionException.class, () -> q.get(10, TimeUnit.SECONDS));
            assertEquals("lost leadership", e.getCause().getMessage());
        }
    }
}
