package io.duetdb.storage.wal;

/** The type byte of a WAL record. Codes are persisted: never renumber. Zero is never valid. */
public enum RecordType {
    /** An intent: the Raft header bytes and the payload of a batch (intent log only). */
    INTENT(1),
    /** The outcome of applying one batch (completion log only). */
    COMPLETION(2),
    /** Drops every intent above the record's index (intent log only): Raft truncated them. */
    TRUNCATE(3);

    private final int code;

    RecordType(final int code) {
        this.code = code;
    }

    /** The persisted code. */
    public int code() {
        return code;
    }

    /** The type for a persisted code, or null for an unknown one. */
    public static RecordType fromCode(final int code) {
        for (final RecordType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        return null;
    }
}
