package io.duetdb.storage.table;

import java.util.Arrays;

/**
 * etcd's range rules. Keys order as unsigned bytes. A range is {@code [key, rangeEnd)}, except:
 * a null or empty {@code rangeEnd} means the single key {@code key}, and {@code rangeEnd = {0}}
 * means every key at or after {@code key}.
 */
public final class KeyRanges {
    /** The "to the end of the keyspace" marker. */
    public static final byte[] TO_END = {0};

    private KeyRanges() {
    }

    /** The end of the range holding every key that starts with {@code prefix}. */
    public static byte[] prefixEnd(final byte[] prefix) {
        for (int i = prefix.length - 1; i >= 0; i--) {
            if ((prefix[i] & 0xFF) != 0xFF) {
                final byte[] end = Arrays.copyOf(prefix, i + 1);
                end[i]++;
                return end;
            }
        }
        return TO_END.clone(); // empty or all 0xff: no upper bound
    }

    /** Whether {@code rangeEnd} selects one key. */
    public static boolean isSingleKey(final byte[] rangeEnd) {
        return rangeEnd == null || rangeEnd.length == 0;
    }

    /** Whether {@code rangeEnd} selects everything from the start key on. */
    public static boolean isToEnd(final byte[] rangeEnd) {
        return rangeEnd != null && rangeEnd.length == 1 && rangeEnd[0] == 0;
    }

    /** Unsigned lexicographic comparison. */
    public static int compare(final byte[] a, final byte[] b) {
        return Arrays.compareUnsigned(a, b);
    }
}
