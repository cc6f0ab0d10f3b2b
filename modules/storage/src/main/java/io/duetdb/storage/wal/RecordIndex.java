package io.duetdb.storage.wal;

import java.util.Arrays;

/**
 * Where each record of a log is, by Raft index: segment, file offset, length, term and the
 * writer position that makes it durable. Indexes may have gaps (Raft entries without state
 * machine data never reach the WAL); a gap slot holds a null segment. Not thread-safe: guarded
 * by the owning log's lock.
 */
final class RecordIndex {
    private static final int INITIAL_SLOTS = 1024;

    private long baseIndex = -1;
    private int count;
    private Segment[] segments = new Segment[INITIAL_SLOTS];
    private int[] offsets = new int[INITIAL_SLOTS];
    private int[] lengths = new int[INITIAL_SLOTS];
    private long[] terms = new long[INITIAL_SLOTS];
    private long[] endPositions = new long[INITIAL_SLOTS];

    /** A record's place. */
    record Location(Segment segment, int offset, int length, long term, long endPosition) {
    }

    void put(final long index, final Segment segment, final int offset, final int length, final long term,
             final long endPosition) {
        if (baseIndex < 0 || count == 0) {
            baseIndex = index;
            count = 0;
        }
        final long slot = index - baseIndex;
        if (slot < count) {
            throw new IllegalStateException("index " + index + " is not above the last index " + lastIndex());
        }
        if (slot > Integer.MAX_VALUE - 16) {
            throw new IllegalStateException("index gap too large: " + index + " after " + lastIndex());
        }
        ensureCapacity((int) slot + 1);
        for (int i = count; i < slot; i++) {
            segments[i] = null;
        }
        final int s = (int) slot;
        segments[s] = segment;
        offsets[s] = offset;
        lengths[s] = length;
        terms[s] = term;
        endPositions[s] = endPosition;
        count = s + 1;
    }

    /**
     * Sets the location of {@code index} whether or not a record was there (repair of a missing or
     * damaged record). Below the first slot the index grows downwards; above the last it appends.
     */
    void replace(final long index, final Segment segment, final int offset, final int length, final long term,
                 final long endPosition) {
        if (count == 0 || index > lastIndex()) {
            put(index, segment, offset, length, term, endPosition);
            return;
        }
        if (index < baseIndex) {
            final long grow = baseIndex - index;
            if (grow + count > Integer.MAX_VALUE - 16) {
                throw new IllegalStateException("index gap too large: " + index + " below " + baseIndex);
            }
            final int shift = (int) grow;
            ensureCapacity(count + shift);
            System.arraycopy(segments, 0, segments, shift, count);
            System.arraycopy(offsets, 0, offsets, shift, count);
            System.arraycopy(lengths, 0, lengths, shift, count);
            System.arraycopy(terms, 0, terms, shift, count);
            System.arraycopy(endPositions, 0, endPositions, shift, count);
            Arrays.fill(segments, 0, shift, null);
            baseIndex = index;
            count += shift;
        }
        final int s = (int) (index - baseIndex);
        segments[s] = segment;
        offsets[s] = offset;
        lengths[s] = length;
        terms[s] = term;
        endPositions[s] = endPosition;
    }

    Location get(final long index) {
        final long slot = index - baseIndex;
        if (count == 0 || slot < 0 || slot >= count || segments[(int) slot] == null) {
            return null;
        }
        final int s = (int) slot;
        return new Location(segments[s], offsets[s], lengths[s], terms[s], endPositions[s]);
    }

    /** The location of the highest index at or below {@code index}, or null. */
    Location floor(final long index) {
        if (count == 0 || index < baseIndex) {
            return null;
        }
        for (long i = Math.min(index, lastIndex()); i >= baseIndex; i--) {
            final Location l = get(i);
            if (l != null) {
                return l;
            }
        }
        return null;
    }

    /** Drops every record above {@code index}. */
    void truncateAfter(final long index) {
        if (count == 0 || index >= lastIndex()) {
            return;
        }
        count = (int) Math.max(0, index - baseIndex + 1);
        while (count > 0 && segments[count - 1] == null) {
            count--;
        }
    }

    /** Drops every record at or below {@code index}. */
    void dropThrough(final long index) {
        if (count == 0 || index < baseIndex) {
            return;
        }
        final int drop = (int) Math.min(count, index - baseIndex + 1);
        final int keep = count - drop;
        System.arraycopy(segments, drop, segments, 0, keep);
        System.arraycopy(offsets, drop, offsets, 0, keep);
        System.arraycopy(lengths, drop, lengths, 0, keep);
        System.arraycopy(terms, drop, terms, 0, keep);
        System.arraycopy(endPositions, drop, endPositions, 0, keep);
        Arrays.fill(segments, keep, count, null);
        baseIndex += drop;
        count = keep;
    }

    long firstIndex() {
        for (int i = 0; i < count; i++) {
            if (segments[i] != null) {
                return baseIndex + i;
            }
        }
        return -1;
    }

    long lastIndex() {
        return count == 0 ? -1 : baseIndex + count - 1;
    }

    private void ensureCapacity(final int slots) {
        if (slots <= segments.length) {
            return;
        }
        final int newLength = Math.max(slots, segments.length * 2);
        segments = Arrays.copyOf(segments, newLength);
        offsets = Arrays.copyOf(offsets, newLength);
        lengths = Arrays.copyOf(lengths, newLength);
        terms = Arrays.copyOf(terms, newLength);
        endPositions = Arrays.copyOf(endPositions, newLength);
    }
}
