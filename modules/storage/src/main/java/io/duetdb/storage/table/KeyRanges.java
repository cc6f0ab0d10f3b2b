package io.duetdb.storage.table;

import java.util.Arrays;

/**
 * etcd's key range rules. Keys order as unsigned bytes ({@link Arrays#compareUnsigned}). A range
 * is given by a start {@code key} and a {@code rangeEnd}:
 * <ul>
 *   <li>{@code rangeEnd} null or empty: the single key {@code key};</li>
 *   <li>{@code rangeEnd} = {@code {0}}: every key {@code >= key};</li>
 *   <li>otherwise the half-open interval {@code [key, rangeEnd)}, empty when {@code rangeEnd <= key}
 *       (the {@link OpValidator} refuses such ranges in requests).</li>
 * </ul>
 */
public final class KeyRanges {

    private KeyRanges() {
    }

    /** A fresh {@code {0}}: the "every key from the start key on" range end. */
    public static byte[] toEnd() {
        return new byte[] {0};
    }

    /**
     * The range end that selects every key starting with {@code prefix} (etcd's
     * {@code GetPrefixRangeEnd}): drop trailing 0xff bytes, then increment the last byte. An empty
     * or all-0xff prefix has no such bound, so the answer is {@code {0}} (to the end).
     */
    public static byte[] prefixEnd(final byte[] prefix) {
        if (prefix == null) {
            throw new IllegalArgumentException("prefix=null");
        }
        for (int i = prefix.length - 1; i >= 0; i--) {
            if ((prefix[i] & 0xFF) != 0xFF) {
                final byte[] end = Arrays.copyOf(prefix, i + 1);
                end[i]++;
                return end;
            }
        }
        return toEnd();
    }

    /** Whether {@code rangeEnd} selects the start key only. */
    public static boolean isSingleKey(final byte[] rangeEnd) {
        return rangeEnd == null || rangeEnd.length == 0;
    }

    /** Whether {@code rangeEnd} is {@code {0}}: every key from the start key on. */
    public static boolean isToEnd(final byte[] rangeEnd) {
        return rangeEnd != null && rangeEnd.length == 1 && rangeEnd[0] == 0;
    }

    /** Whether {@code candidate} lies in the range given by {@code key} and {@code rangeEnd}. */
    public static boolean contains(final byte[] key, final byte[] rangeEnd, final byte[] candidate) {
        final int fromStart = compare(candidate, key);
        if (isSingleKey(rangeEnd)) {
            return fromStart == 0;
        }
        return fromStart >= 0 && (isToEnd(rangeEnd) || compare(candidate, rangeEnd) < 0);
    }

    /** Unsigned lexicographic order of keys. */
    public static int compare(final byte[] a, final byte[] b) {
        return Arrays.compareUnsigned(a, b);
    }
}
