package io.duetdb.storage.table;

import java.util.Arrays;

/**
 * A transaction guard on one key, as etcd's. A missing key has version, create revision and mod
 * revision 0; a VALUE compare on a missing key succeeds only for NOT_EQUAL.
 */
public record Compare(byte[] key, Target target, Result result, byte[] valueOperand, long numberOperand) {

    /** What is compared. Codes are persisted in batches. */
    public enum Target { VALUE, VERSION, CREATE_REVISION, MOD_REVISION }

    /** How. Codes are persisted in batches. */
    public enum Result { EQUAL, NOT_EQUAL, GREATER, LESS }

    public static Compare value(final byte[] key, final Result result, final byte[] value) {
        return new Compare(key, Target.VALUE, result, value, 0);
    }

    public static Compare number(final byte[] key, final Target target, final Result result, final long operand) {
        return new Compare(key, target, result, null, operand);
    }

    /** Evaluates this guard against the key's current state ({@code current} may be null). */
    public boolean test(final KeyValue current) {
        final int cmp;
        if (target == Target.VALUE) {
            if (current == null) {
                return result == Result.NOT_EQUAL;
            }
            cmp = KeyRanges.compare(current.value(), valueOperand == null ? new byte[0] : valueOperand);
        } else {
            final long actual = current == null ? 0 : switch (target) {
                case VERSION -> current.version();
                case CREATE_REVISION -> current.createRevision();
                case MOD_REVISION -> current.modRevision();
                default -> throw new IllegalStateException("target " + target);
            };
            cmp = Long.compare(actual, numberOperand);
        }
        return switch (result) {
            case EQUAL -> cmp == 0;
            case NOT_EQUAL -> cmp != 0;
            case GREATER -> cmp > 0;
            case LESS -> cmp < 0;
        };
    }

    @Override
    public boolean equals(final Object o) {
        return o instanceof Compare c && Arrays.equals(key, c.key) && target == c.target && result == c.result
            && Arrays.equals(valueOperand, c.valueOperand) && numberOperand == c.numberOperand;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(key) * 31 + target.hashCode() + result.ordinal();
    }
}
