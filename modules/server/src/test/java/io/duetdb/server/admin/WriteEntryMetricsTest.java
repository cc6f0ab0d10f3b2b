package io.duetdb.server.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.codahale.metrics.MetricRegistry;
import io.duetdb.api.internal.v1.EntryOutcome;
import io.duetdb.server.replication.ClientWrite;
import io.duetdb.server.replication.EntryCodec;
import io.duetdb.server.replication.WriteBatcher;
import io.duetdb.storage.table.Op;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class WriteEntryMetricsTest {
    private static byte[] request(final int writes) {
        final List<ClientWrite> ws = new ArrayList<>();
        final List<byte[]> payloads = new ArrayList<>();
        for (int i = 0; i < writes; i++) {
            final ClientWrite w = ClientWrite.of(new Op.Put(("k" + i).getBytes(StandardCharsets.UTF_8), new byte[10],
                false));
            ws.add(w);
            payloads.add(EntryCodec.encodePayload(w.op()));
        }
        return EntryCodec.encodeRequest(ws, payloads, 0);
    }

    @Test
    void writeCountComesFromTheHeaderLength() {
        for (final int n : new int[] {1, 7, 250}) {
            assertEquals(n, WriteEntryMetrics.writeCount(request(n)), n + " writes");
        }
        assertEquals(-1, WriteEntryMetrics.writeCount(new byte[2]));
    }

    @Test
    void entriesAreMeasuredWhenTheyComplete() {
        final MetricRegistry registry = new MetricRegistry();
        final List<CompletableFuture<EntryOutcome>> pending = new ArrayList<>();
        final WriteBatcher.EntryProposer proposer = WriteEntryMetrics.instrument(request -> {
            final CompletableFuture<EntryOutcome> f = new CompletableFuture<>();
            pending.add(f);
            return f;
        }, registry);

        final byte[] three = request(3);
        final CompletableFuture<EntryOutcome> first = proposer.propose(three);
        assertSame(pending.get(0), first, "the batcher gets the proposer's own future");
        proposer.propose(request(5));
        PromTextParser.Parsed p = scrape(registry);
        assertEquals(2, p.value("duet_write_entry_writes_count"));
        assertEquals(8, p.value("duet_write_entry_writes_sum"));
        assertEquals(three.length + request(5).length, p.value("duet_write_entry_bytes_sum"));
        assertEquals(0, p.value("duet_write_entry_latency_seconds_count"), "not complete yet");

        pending.get(0).complete(EntryOutcome.getDefaultInstance());
        pending.get(1).completeExceptionally(new IllegalStateException("not leader"));
        p = scrape(registry);
        assertEquals(2, p.value("duet_write_entry_latency_seconds_count"));
        assertEquals(1, p.value("duet_write_entries_failed_total"));

        final WriteBatcher.EntryProposer throwing = WriteEntryMetrics.instrument(request -> {
            throw new IllegalStateException("closed");
        }, registry);
        assertThrows(IllegalStateException.class, () -> throwing.propose(request(1)));
        assertEquals(2, scrape(registry).value("duet_write_entries_failed_total"));
    }

    private static PromTextParser.Parsed scrape(final MetricRegistry registry) {
        return PromTextParser.parse(new PrometheusExposition(List.of(new DropwizardSource(registry))).render());
    }
}
