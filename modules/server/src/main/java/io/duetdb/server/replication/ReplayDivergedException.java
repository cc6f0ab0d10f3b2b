package io.duetdb.server.replication;

import java.io.IOException;

/** Re-applying an entry after a restart gave a different result than the first time. */
public final class ReplayDivergedException extends IOException {
    private static final long serialVersionUID = 1L;

    public ReplayDivergedException(final String message) {
        super(message);
    }
}
