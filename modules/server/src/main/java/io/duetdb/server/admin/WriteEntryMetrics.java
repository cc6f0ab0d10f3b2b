package io.duetdb.server.admin;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Histogram;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import io.duetdb.api.internal.v1.EntryOutcome;
import io.duetdb.server.replication.EntryCodec;
import io.duetdb.server.replication.IntentHeader;
import io.duetdb.server.replication.WriteBatcher;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * Measures the entries the {@link WriteBatcher} proposes by wrapping its proposer, so the batcher
 * itself needs no change: writes per entry (read from the entry's header length), entry bytes,
 * time to outcome, and failures. Wire it where the batcher is built:
 * {@code new WriteBatcher(WriteEntryMetrics.instrument(this::propose, metrics), limits)}.
 */
public final class WriteEntryMetrics {
    private WriteEntryMetrics() {
    }

    public static WriteBatcher.EntryProposer instrument(final WriteBatcher.EntryProposer proposer,
                                                        final MetricRegistry registry) {
        final Histogram writes = Summaries.histogram(registry, DuetMetricNames.ENTRY_WRITES);
        final Histogram bytes = Summaries.histogram(registry, DuetMetricNames.ENTRY_BYTES);
        final Timer latency = Summaries.timer(registry, DuetMetricNames.ENTRY_LATENCY);
        final Counter failed = registry.counter(DuetMetricNames.ENTRIES_FAILED);
        return request -> {
            final int count = writeCount(request);
            if (count >= 0) {
                writes.update(count);
            }
            bytes.update(request.length);
            final Timer.Context timing = latency.time();
            final CompletableFuture<EntryOutcome> outcome;
            try {
                outcome = proposer.propose(request);
            } catch (final RuntimeException e) {
                timing.stop();
                failed.inc();
                throw e;
            }
            // whenComplete returns a new future; the batcher gets the original one, untouched.
            outcome.whenComplete((result, error) -> {
                timing.stop();
                if (error != null) {
                    failed.inc();
                }
            });
            return outcome;
        };
    }

    /**
     * The number of writes in a request, from its header's length alone (the header is a fixed
     * part plus a fixed size per write), or -1 if the request is malformed.
     */
    static int writeCount(final byte[] request) {
        try {
            final int headerLength = EntryCodec.split(ByteBuffer.wrap(request)).headerLength();
            final int perWrite = headerLength - IntentHeader.FIXED_BYTES;
            return perWrite % IntentHeader.PER_WRITE_BYTES == 0 ? perWrite / IntentHeader.PER_WRITE_BYTES : -1;
        } catch (final IllegalArgumentException e) {
            return -1;
        }
    }
}
