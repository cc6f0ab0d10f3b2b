package io.duetdb.storage.wal;

import java.util.ArrayDeque;

/**
 * Maps the writer's logical positions to (segment, file offset): each extent is a run of positions
 * written contiguously into one segment. Guarded by the writer's lock.
 */
final class Extents {
    /** Positions from {@code startPosition} on live in {@code segment} from {@code fileOffset} on. */
    record Extent(long startPosition, Segment segment, long fileOffset) {
    }

    private final ArrayDeque<Extent> extents = new ArrayDeque<>();

    Extents(final Segment first) {
        extents.add(new Extent(0, first, first.appendOffset));
    }

    /** Starts a new extent at {@code position} when records begin going to another segment. */
    void startIfNew(final long position, final Segment segment) {
        if (extents.peekLast().segment() != segment) {
            extents.add(new Extent(position, segment, segment.appendOffset));
        }
    }

    /** The extent holding {@code position}. */
    Extent of(final long position) {
        Extent found = null;
        for (final Extent e : extents) {
            if (e.startPosition() > position) {
                break;
            }
            found = e;
        }
        if (found == null) {
            throw new IllegalStateException("no extent holds position " + position);
        }
        return found;
    }

    /** The first position after {@code extent} (where the next begins), or Long.MAX_VALUE for the last. */
    long endOf(final Extent extent) {
        boolean seen = false;
        for (final Extent e : extents) {
            if (seen) {
                return e.startPosition();
            }
            seen = e == extent;
        }
        return Long.MAX_VALUE;
    }

    /** Forgets extents wholly before {@code position}, always keeping the one that holds it. */
    void forgetBefore(final long position) {
        while (extents.size() > 1) {
            final Extent first = extents.pollFirst();
            if (extents.peekFirst().startPosition() > position) {
                extents.addFirst(first);
                return;
            }
        }
    }
}
