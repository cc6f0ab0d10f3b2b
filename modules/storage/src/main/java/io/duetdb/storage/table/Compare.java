package io.duetdb.storage.table;

import java.util.Arrays;

/**
 * A transaction guard on one key, as etcd's {@code Compare}.
 *
 * <p>Semantics, precisely:
 * <ul>
 *   <li>{@code VERSION}, {@code CREATE_REVISION}, {@code MOD_REVISION}: the key's number (0 for each
 *       of them when the key does not exist) is compared with {@code numberOperand} as signed longs;
 *       {@code valueOperand} is ignored.</li>
 *   <li>{@code VALUE} on an existing key: its value is compared with {@code valueOperand} (null
 *       counts as empty) in unsigned lexicographic order; {@code numberOperand} is ignored.</li>
 *   <li>{@code VALUE} on a missing key: every result fails, NOT_EQUAL included, as in etcd (a
 *       missing value cannot be told from an empty one on the wire, so etcd refuses to compare it).
 *       Use a VERSION compare with 0 to test that a key is absent. The rule is part of the log's
 *       meaning: replaying a transaction must decide the same way forever.</li>
 * </ul>
 * The result reads as "actual RESULT operand", e.g. {@code GREATER} holds when actual > operand.
 */
public record Compare(byte[] key, Target target, Result result, byte[] valueOperand, long numberOperand) {

    /** What is compared. {@link BatchCodec} persists these as explicit codes. */
    public enum Target { VALUE, VERSION, CREATE_REVISION, MOD_REVISION }

    /** How actual and operand must relate for the guard to hold. */
    public enum Result { EQUAL, NOT_EQUAL, GREATER, LESS }

    /** Structural checks only; sizes are the {@link OpValidator}'s job. */
    public Compare {
        if (key == null || target == null || result == null) {
            throw new IllegalArgumentException("compare needs a key, a target and a result: key="
                + Printable.bytes(key) + " target=" + target + " result=" + result);
        }
    }

    /** A guard on the key's value. */
    public static Compare value(final byte[] key, final Result result, final byte[] value) {
        return new Compare(key, Target.VALUE, result, value, 0);
    }

    /** A guard on the key's version, create revision or mod revision. */
    public static Compare number(final byte[] key, final Target target, final Result result, final long operand) {
        if (target == Target.VALUE) {
            throw new IllegalArgumentException("target=VALUE is not a number; use Compare.value");
        }
        return new Compare(key, target, result, null, operand);
    }

    /** Whether the guard holds for the key's current entry ({@code current} null when missing). */
    public boolean test(final KeyValue current) {
        final int cmp;
        if (target == Target.VALUE) {
            if (current == null) {
                return false;
            }
            cmp = KeyRanges.compare(current.value(), valueOperand == null ? new byte[0] : valueOperand);
        } else {
            cmp = Long.compare(current == null ? 0 : number(current), numberOperand);
        }
        return switch (result) {
            case EQUAL -> cmp == 0;
            case NOT_EQUAL -> cmp != 0;
            case GREATER -> cmp > 0;
            case LESS -> cmp < 0;
        };
    }

    private long number(final KeyValue kv) {
        return switch (target) {
            case VERSION -> kv.version();
            case CREATE_REVISION -> kv.createRevision();
            case MOD_REVISION -> kv.modRevision();
            case VALUE -> throw new IllegalStateException("target=VALUE has no number");
        };
    }

    @Override
    public boolean equals(final Object o) {
        return o instanceof Compare c && Arrays.equals(key, c.key) && target == c.target && result == c.result
            && Arrays.equals(valueOperand, c.valueOperand) && numberOperand == c.numberOperand;
    }

    @Override
    public int hashCode() {
        int h = Arrays.hashCode(key);
        h = 31 * h + target.hashCode();
        h = 31 * h + result.hashCode();
        h = 31 * h + Arrays.hashCode(valueOperand);
        return 31 * h + Long.hashCode(numberOperand);
    }

    @Override
    public String toString() {
        final String operand = target == Target.VALUE ? Printable.bytes(valueOperand) : Long.toString(numberOperand);
        return "Compare[" + target + "(" + Printable.bytes(key) + ") " + result + " " + operand + "]";
    }
}
