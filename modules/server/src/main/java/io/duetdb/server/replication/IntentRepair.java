package io.duetdb.server.replication;

import com.codahale.metrics.Counter;
import com.google.protobuf.ByteString;
import io.duetdb.api.internal.v1.GetIntentRequest;
import io.duetdb.api.internal.v1.GetIntentResponse;
import io.duetdb.api.internal.v1.ReplicaGrpc;
import io.duetdb.storage.wal.IntentLog;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Repair from replicas: fetches intent (term, index) from another member over the internal
 * Replica service, accepts it only if its header equals the one in this node's Raft log and its
 * payload matches the header's length and CRC32C, writes it to the local intent log as a repair
 * record, waits for it to be durable, counts it and logs what was repaired and from whom.
 *
 * <p>Bounded: each call has a deadline, and after {@code rounds} passes over every peer it gives
 * up with {@link IrreparableIntentException} listing each peer's answer.
 */
public final class IntentRepair {
    private static final Logger LOG = LoggerFactory.getLogger(IntentRepair.class);

    private final String selfId;
    private final Supplier<List<PeerEndpoint>> peers;
    private final Counter repaired;
    private final long callDeadlineMs;
    private final int rounds;
    private final long backoffMs;
    private final Function<String, ManagedChannel> channels;

    /**
     * @param channels a channel to a member's API address (plaintext or TLS, as the node runs),
     *     accepting replies up to {@link ReplicaLimits#MAX_MESSAGE_BYTES}; owned by the caller
     */
    public IntentRepair(final String selfId, final Supplier<List<PeerEndpoint>> peers, final Counter repaired,
                        final long callDeadlineMs, final int rounds, final long backoffMs,
                        final Function<String, ManagedChannel> channels) {
        if (callDeadlineMs <= 0 || rounds < 1 || backoffMs < 0) {
            throw new IllegalArgumentException("callDeadlineMs=" + callDeadlineMs + " rounds=" + rounds
                + " backoffMs=" + backoffMs + ": need a deadline > 0, rounds >= 1, backoff >= 0");
        }
        this.selfId = selfId;
        this.peers = peers;
        this.repaired = repaired;
        this.callDeadlineMs = callDeadlineMs;
        this.rounds = rounds;
        this.backoffMs = backoffMs;
        this.channels = channels;
    }

    /** Whether any other member exists to repair from. */
    public boolean hasReplicas() {
        return peers.get().stream().anyMatch(p -> !p.id().equals(selfId));
    }

    /**
     * Fetches, verifies and durably rewrites intent (term, index); returns its payload.
     *
     * @param header the entry's header from this node's Raft log
     * @param localProblem what was wrong with the local copy, for the log line
     */
    public byte[] repair(final IntentLog intents, final long term, final long index, final byte[] header,
                         final String localProblem) throws IOException {
        final IntentHeader expected = IntentHeader.decode(ByteBuffer.wrap(header));
        final List<String> answers = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            final List<PeerEndpoint> candidates = peers.get().stream().filter(p -> !p.id().equals(selfId)).toList();
            if (candidates.isEmpty()) {
                throw new IrreparableIntentException("intent (term " + term + ", index " + index + ") is damaged ("
                    + localProblem + ") and this node has no replica to repair it from");
            }
            for (final PeerEndpoint peer : candidates) {
                final String problem;
                try {
                    final GetIntentResponse r = ReplicaGrpc.newBlockingStub(channel(peer.clientAddress()))
                        .withDeadlineAfter(callDeadlineMs, TimeUnit.MILLISECONDS)
                        .getIntent(GetIntentRequest.newBuilder().setTerm(term).setIndex(index).build());
                    problem = verify(r, term, index, header, expected);
                    if (problem == null) {
                        final byte[] payload = r.getPayload().toByteArray();
                        write(intents, term, index, header, payload);
                        repaired.inc();
                        LOG.warn("repaired intent (term {}, index {}, {} bytes) from replica {} ({}); the local copy "
                            + "was {}", term, index, payload.length, peer.id(), peer.clientAddress(), localProblem);
                        return payload;
                    }
                } catch (final StatusRuntimeException e) {
                    answers.add(peer.id() + ": " + e.getStatus().getCode() + " " + e.getStatus().getDescription());
                    continue;
                }
                answers.add(peer.id() + ": " + problem);
            }
            if (round < rounds) {
                LOG.warn("round {} of {}: no replica supplied intent (term {}, index {}) yet: {}", round, rounds, term,
                    index, answers.subList(Math.max(0, answers.size() - candidates.size()), answers.size()));
                sleep(backoffMs);
            }
        }
        throw new IrreparableIntentException("intent (term " + term + ", index " + index + ") is damaged ("
            + localProblem + ") and no replica supplied a verified copy after " + rounds + " rounds: " + answers);
    }

    private static String verify(final GetIntentResponse r, final long term, final long index, final byte[] header,
                                 final IntentHeader expected) {
        if (r.getTerm() != term || r.getIndex() != index) {
            return "answered (term " + r.getTerm() + ", index " + r.getIndex() + ")";
        }
        if (!Arrays.equals(r.getHeader().toByteArray(), header)) {
            return "its header differs from this node's Raft log entry";
        }
        final String problem = EntryCodec.payloadProblem(expected, r.getPayload().asReadOnlyByteBuffer());
        return problem == null ? null : "its " + problem;
    }

    private static void write(final IntentLog intents, final long term, final long index, final byte[] header,
                              final byte[] payload) throws IOException {
        try {
            intents.appendRepair(term, index, header, ByteBuffer.wrap(payload)).get(60, TimeUnit.SECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while writing repaired intent " + index, e);
        } catch (final ExecutionException e) {
            throw new IOException("writing repaired intent " + index + " failed", e.getCause());
        } catch (final TimeoutException e) {
            throw new IOException("repaired intent " + index + " was not durable within 60 s", e);
        }
    }

    private ManagedChannel channel(final String address) {
        return channels.apply(address);
    }

    private static void sleep(final long ms) throws IOException {
        try {
            Thread.sleep(ms);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting to retry a repair", e);
        }
    }

    /** A response for a peer's GetIntent: header and payload of a verified local intent. */
    static GetIntentResponse response(final long term, final long index, final byte[] header, final byte[] payload,
                                      final String selfId) {
        return GetIntentResponse.newBuilder().setTerm(term).setIndex(index).setHeader(ByteString.copyFrom(header))
            .setPayload(ByteString.copyFrom(payload)).setServedBy(selfId).build();
    }
}
