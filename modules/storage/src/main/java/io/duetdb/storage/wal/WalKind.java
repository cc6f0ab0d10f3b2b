package io.duetdb.storage.wal;

/** Which of the two logs a segment belongs to. Codes are persisted in segment headers. */
public enum WalKind {
    INTENT(1, "intent"),
    COMPLETION(2, "completion");

    private final int code;
    private final String dirName;

    WalKind(final int code, final String dirName) {
        this.code = code;
        this.dirName = dirName;
    }

    /** The persisted code. */
    public int code() {
        return code;
    }

    /** The log's directory name under the data directory, and its name in logs and metrics. */
    public String dirName() {
        return dirName;
    }

    /** Whether a record of {@code type} may appear in this log. */
    public boolean allows(final RecordType type) {
        return this == INTENT ? type == RecordType.INTENT || type == RecordType.TRUNCATE : type == RecordType.COMPLETION;
    }

    /** The kind for a persisted code, or null. */
    public static WalKind fromCode(final int code) {
        for (final WalKind k : values()) {
            if (k.code == code) {
                return k;
            }
        }
        return null;
    }
}
