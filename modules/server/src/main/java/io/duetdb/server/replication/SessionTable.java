package io.duetdb.server.replication;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Exactly-once bookkeeping: for each client id, the revisions at which its most recent write ids
 * were applied. Part of the replicated state: every replica makes the same decisions in log order,
 * and the table is saved with each snapshot (see {@link SnapshotStore}).
 *
 * <p>Limits, both deterministic: each session remembers its newest {@link #WINDOW} sequence
 * numbers (an older one is answered "expired", never applied again); at most
 * {@link #MAX_SESSIONS} sessions are kept, and beyond that the one whose last write is oldest is
 * forgotten (its later retries are no longer de-duplicated). Not thread-safe: the apply thread
 * owns it; snapshots are written from that thread too.
 */
public final class SessionTable {
    /** Sequence numbers remembered per session. */
    public static final int WINDOW = 256;
    /** Sessions kept. */
    public static final int MAX_SESSIONS = 10_000;
    /**
     * What one session costs toward the space quota: its two arrays of {@link #WINDOW} longs with
     * their headers, plus the session object and its map entry, rounded up.
     */
    public static final long BYTES_PER_SESSION = 2L * (16 + Long.BYTES * WINDOW) + 128;

    /** What to do with a write id. */
    public enum Verdict { APPLY, DUPLICATE, EXPIRED }

    /** A verdict and, for a duplicate, the revision it was applied at. */
    public record Check(Verdict verdict, long revision) {
    }

    private record ClientId(long high, long low) {
    }

    private static final class Session {
        final long[] sequences = new long[WINDOW];
        final long[] revisions = new long[WINDOW];
        int size;
        int next; // ring position of the next record
        long forgottenThrough; // highest sequence pushed out of the window
        long lastRevision;
    }

    private final Map<ClientId, Session> sessions = new HashMap<>();
    /** Sessions by last revision, oldest first, for eviction: (revision, client id) pairs. */
    private final TreeMap<Long, Map<ClientId, Boolean>> byLastRevision = new TreeMap<>();

    /** Whether a write with this id should be applied. */
    public Check check(final long clientIdHigh, final long clientIdLow, final long sequence) {
        final Session s = sessions.get(new ClientId(clientIdHigh, clientIdLow));
        if (s == null) {
            return new Check(Verdict.APPLY, 0);
        }
        for (int i = 0; i < s.size; i++) {
            if (s.sequences[i] == sequence) {
                return new Check(Verdict.DUPLICATE, s.revisions[i]);
            }
        }
        return sequence <= s.forgottenThrough ? new Check(Verdict.EXPIRED, 0) : new Check(Verdict.APPLY, 0);
    }

    /** Records that the write id was applied at {@code revision} (after {@link #check} said APPLY). */
    public void record(final long clientIdHigh, final long clientIdLow, final long sequence, final long revision) {
        final ClientId id = new ClientId(clientIdHigh, clientIdLow);
        Session s = sessions.get(id);
        if (s == null) {
            if (sessions.size() >= MAX_SESSIONS) {
                evictOldest();
            }
            s = new Session();
            sessions.put(id, s);
        } else {
            unindex(id, s.lastRevision);
        }
        if (s.size == WINDOW) {
            s.forgottenThrough = Math.max(s.forgottenThrough, s.sequences[s.next]);
        } else {
            s.size++;
        }
        s.sequences[s.next] = sequence;
        s.revisions[s.next] = revision;
        s.next = (s.next + 1) % WINDOW;
        s.lastRevision = revision;
        byLastRevision.computeIfAbsent(revision, r -> new HashMap<>()).put(id, Boolean.TRUE);
    }

    private void evictOldest() {
        final Map.Entry<Long, Map<ClientId, Boolean>> oldest = byLastRevision.firstEntry();
        // Among sessions last written at the same revision, evict the smallest id: deterministic.
        ClientId victim = null;
        for (final ClientId id : oldest.getValue().keySet()) {
            if (victim == null || id.high < victim.high || (id.high == victim.high && id.low < victim.low)) {
                victim = id;
            }
        }
        sessions.remove(victim);
        unindex(victim, oldest.getKey());
    }

    private void unindex(final ClientId id, final long revision) {
        final Map<ClientId, Boolean> ids = byLastRevision.get(revision);
        if (ids != null) {
            ids.remove(id);
            if (ids.isEmpty()) {
                byLastRevision.remove(revision);
            }
        }
    }

    public int size() {
        return sessions.size();
    }

    /** Whether the client has a session (its next write id adds none). */
    public boolean contains(final long clientIdHigh, final long clientIdLow) {
        return sessions.containsKey(new ClientId(clientIdHigh, clientIdLow));
    }

    /**
     * Writes the table: i32 session count, then per session i64 high, i64 low, i64 forgotten
     * through, i64 last revision, i32 n, then n (i64 sequence, i64 revision) pairs oldest first.
     */
    public void writeTo(final DataOutputStream out) throws IOException {
        out.writeInt(sessions.size());
        for (final Map.Entry<ClientId, Session> e : sessions.entrySet()) {
            final Session s = e.getValue();
            out.writeLong(e.getKey().high);
            out.writeLong(e.getKey().low);
            out.writeLong(s.forgottenThrough);
            out.writeLong(s.lastRevision);
            out.writeInt(s.size);
            final int start = s.size == WINDOW ? s.next : 0;
            for (int i = 0; i < s.size; i++) {
                final int slot = (start + i) % WINDOW;
                out.writeLong(s.sequences[slot]);
                out.writeLong(s.revisions[slot]);
            }
        }
    }

    /** Reads what {@link #writeTo} wrote, checking every count against the limits. */
    public static SessionTable readFrom(final DataInputStream in) throws IOException {
        final SessionTable table = new SessionTable();
        final int count = in.readInt();
        if (count < 0 || count > MAX_SESSIONS) {
            throw new IOException("session count " + count + " outside 0.." + MAX_SESSIONS);
        }
        for (int i = 0; i < count; i++) {
            final ClientId id = new ClientId(in.readLong(), in.readLong());
            final Session s = new Session();
            s.forgottenThrough = in.readLong();
            s.lastRevision = in.readLong();
            final int n = in.readInt();
            if (n < 0 || n > WINDOW) {
                throw new IOException("session window of " + n + " outside 0.." + WINDOW);
            }
            for (int k = 0; k < n; k++) {
                s.sequences[k] = in.readLong();
                s.revisions[k] = in.readLong();
            }
            s.size = n;
            s.next = n % WINDOW;
            if (table.sessions.put(id, s) != null) {
                throw new IOException("session " + id + " appears twice");
            }
            table.byLastRevision.computeIfAbsent(s.lastRevision, r -> new HashMap<>()).put(id, Boolean.TRUE);
        }
        return table;
    }
}
