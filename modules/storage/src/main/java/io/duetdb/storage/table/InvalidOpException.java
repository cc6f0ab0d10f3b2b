package io.duetdb.storage.table;

/** A request that breaks a rule or a limit; the message names the limit and the actual value. */
public final class InvalidOpException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public InvalidOpException(final String message) {
        super(message);
    }
}
