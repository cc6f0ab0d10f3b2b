package io.duetdb.storage.wal;

import java.io.IOException;

/**
 * The log hit a write or fsync error and has stopped for good. Nothing written after the last
 * successful fsync may be trusted (an fsync is never retried: after a failed fsync the kernel may
 * have dropped the dirty pages and a retry would report success falsely). Restart the process;
 * recovery decides what survived.
 */
public final class LogFailedException extends IOException {
    private static final long serialVersionUID = 1L;

    public LogFailedException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
