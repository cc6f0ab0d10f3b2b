package io.duetdb.storage.table;

/**
 * A request that breaks a rule or a {@link Limits limit}; the message names the op, the rule or
 * limit (e.g. {@code maxKeyBytes}) and the actual value. Nothing of the request was logged.
 */
public final class InvalidOpException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** @param message what is wrong, naming the limit and the actual value */
    public InvalidOpException(final String message) {
        super(message);
    }
}
