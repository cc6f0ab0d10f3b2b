package io.duetdb.client;

import com.google.protobuf.ByteString;
import io.duetdb.api.v1.WriteId;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Hands out the write ids of one client session: a random 16-byte client id, and sequence numbers
 * from 1 up.
 *
 * <p>Why it also holds writes back: the server remembers a session's newest
 * {@value #SERVER_WINDOW} applied sequences. A write still being retried after more than that
 * many newer writes of the session were applied would be refused as expired (its outcome then
 * unknown), and a lost reply could no longer be recognised as a duplicate. So a new sequence is
 * handed out only while it is fewer than {@link #windowSize} past the oldest write still
 * outstanding; beyond that, new writes wait (in order) for the oldest to finish.
 */
final class WriteSequencer {
    /** How many sequences per session the server remembers (SessionTable.WINDOW). */
    static final int SERVER_WINDOW = 256;
    /** The window this client keeps: a margin below the server's. */
    static final int DEFAULT_WINDOW = SERVER_WINDOW - 16;

    private final ByteString clientId;
    private final int windowSize;
    private final TreeSet<Long> outstanding = new TreeSet<>();
    private final ArrayDeque<CompletableFuture<Long>> waiting = new ArrayDeque<>();
    private long next = 1;

    WriteSequencer(final int windowSize) {
        this(randomClientId(), windowSize);
    }

    WriteSequencer(final ByteString clientId, final int windowSize) {
        if (clientId.size() != 16 || windowSize < 1 || windowSize > SERVER_WINDOW) {
            throw new IllegalArgumentException("client id of " + clientId.size() + " bytes, window " + windowSize);
        }
        this.clientId = clientId;
        this.windowSize = windowSize;
    }

    private static ByteString randomClientId() {
        final UUID id = UUID.randomUUID(); // SecureRandom: ids of different clients must not collide
        return ByteString.copyFrom(ByteBuffer.allocate(16).putLong(id.getMostSignificantBits())
            .putLong(id.getLeastSignificantBits()).array());
    }

    ByteString clientId() {
        return clientId;
    }

    WriteId writeId(final long sequence) {
        return WriteId.newBuilder().setClientId(clientId).setSequence(sequence).build();
    }

    /**
     * The next sequence, now or once the window has room. The caller must {@link #release} it when
     * the write is done (applied, failed, or given up); cancelling the future gives up the wait.
     */
    CompletableFuture<Long> acquire() {
        synchronized (this) {
            if (waiting.isEmpty() && hasRoom()) {
                return CompletableFuture.completedFuture(take());
            }
            final CompletableFuture<Long> f = new CompletableFuture<>();
            waiting.add(f);
            return f;
        }
    }

    /** The write with this sequence will not be sent again. */
    void release(final long sequence) {
        final List<CompletableFuture<Long>> ready = new ArrayList<>();
        final List<Long> given = new ArrayList<>();
        synchronized (this) {
            outstanding.remove(sequence);
            while (!waiting.isEmpty() && hasRoom()) {
                final CompletableFuture<Long> f = waiting.poll();
                if (!f.isDone()) { // not cancelled or timed out meanwhile
                    ready.add(f);
                    given.add(take());
                }
            }
        }
        // Completed outside the lock: completing runs the waiting writes' continuations.
        for (int i = 0; i < ready.size(); i++) {
            if (!ready.get(i).complete(given.get(i))) {
                release(given.get(i)); // gave up between the check and now
            }
        }
    }

    /** Sequences handed out and not released (for tests). */
    synchronized int outstandingCount() {
        return outstanding.size();
    }

    private boolean hasRoom() {
        return outstanding.isEmpty() || next - outstanding.first() < windowSize;
    }

    private long take() {
        final long s = next++;
        outstanding.add(s);
        return s;
    }
}
