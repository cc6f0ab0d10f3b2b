package io.duetdb.storage.wal;

/** A record body over the log's configured limit. */
public final class RecordTooLargeException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public RecordTooLargeException(final String log, final long bodyBytes, final long limitBytes) {
        super("a " + log + " record of " + bodyBytes + " bytes exceeds the limit of " + limitBytes
            + " bytes (maxBodyBytes)");
    }
}
