package io.duetdb.client;

/**
 * A condition of a transaction on one key's value, version, create revision or mod revision.
 * A key that does not exist has version, create revision and mod revision 0, and no value (a
 * value compare on it fails).
 *
 * <pre>{@code
 * Compare.value("lock").equalTo("me")
 * Compare.version("lock").equalTo(0)          // the key does not exist
 * Compare.modRevision("config").lessThan(42)
 * }</pre>
 *
 * @param key      the key compared
 * @param target   what of the key is compared
 * @param operator how
 * @param value    the operand of a {@link Target#VALUE} compare, else null
 * @param number   the operand of the other targets
 */
public record Compare(Bytes key, Target target, Operator operator, Bytes value, long number) {
    /** What of the key is compared. */
    public enum Target { VALUE, VERSION, CREATE_REVISION, MOD_REVISION }

    /** The comparison: the key's target, then the operand ({@code version < 3}). */
    public enum Operator { EQUAL, NOT_EQUAL, LESS, GREATER }

    public Compare {
        if (key == null || target == null || operator == null) {
            throw new IllegalArgumentException("a compare needs a key, a target and an operator");
        }
        if ((target == Target.VALUE) != (value != null)) {
            throw new IllegalArgumentException("a value compare takes a value operand, the others a number");
        }
    }

    public static ValueCompare value(final String key) {
        return new ValueCompare(Bytes.of(key));
    }

    public static ValueCompare value(final Bytes key) {
        return new ValueCompare(key);
    }

    /** On how many times the key was written since it was created (0: it does not exist). */
    public static NumberCompare version(final String key) {
        return new NumberCompare(Bytes.of(key), Target.VERSION);
    }

    public static NumberCompare version(final Bytes key) {
        return new NumberCompare(key, Target.VERSION);
    }

    /** On the revision that created the key. */
    public static NumberCompare createRevision(final String key) {
        return new NumberCompare(Bytes.of(key), Target.CREATE_REVISION);
    }

    public static NumberCompare createRevision(final Bytes key) {
        return new NumberCompare(key, Target.CREATE_REVISION);
    }

    /** On the revision of the key's last change. */
    public static NumberCompare modRevision(final String key) {
        return new NumberCompare(Bytes.of(key), Target.MOD_REVISION);
    }

    public static NumberCompare modRevision(final Bytes key) {
        return new NumberCompare(key, Target.MOD_REVISION);
    }

    /** The second half of a value compare: the operator and the operand. */
    public static final class ValueCompare {
        private final Bytes key;

        private ValueCompare(final Bytes key) {
            this.key = key;
        }

        public Compare equalTo(final String value) {
            return is(Operator.EQUAL, Bytes.of(value));
        }

        public Compare notEqualTo(final String value) {
            return is(Operator.NOT_EQUAL, Bytes.of(value));
        }

        /** The key's value sorts before {@code value} (unsigned bytes). */
        public Compare lessThan(final String value) {
            return is(Operator.LESS, Bytes.of(value));
        }

        /** The key's value sorts after {@code value} (unsigned bytes). */
        public Compare greaterThan(final String value) {
            return is(Operator.GREATER, Bytes.of(value));
        }

        public Compare is(final Operator operator, final Bytes value) {
            if (value == null) {
                throw new IllegalArgumentException("value=null");
            }
            return new Compare(key, Target.VALUE, operator, value, 0);
        }
    }

    /** The second half of a version or revision compare: the operator and the operand. */
    public static final class NumberCompare {
        private final Bytes key;
        private final Target target;

        private NumberCompare(final Bytes key, final Target target) {
            this.key = key;
            this.target = target;
        }

        public Compare equalTo(final long number) {
            return is(Operator.EQUAL, number);
        }

        public Compare notEqualTo(final long number) {
            return is(Operator.NOT_EQUAL, number);
        }

        public Compare lessThan(final long number) {
            return is(Operator.LESS, number);
        }

        public Compare greaterThan(final long number) {
            return is(Operator.GREATER, number);
        }

        public Compare is(final Operator operator, final long number) {
            return new Compare(key, target, operator, null, number);
        }
    }
}
