package io.duetdb.server.replication;

import java.io.IOException;

/** No replica could supply a verified copy of an intent this node needs. */
public final class IrreparableIntentException extends IOException {
    private static final long serialVersionUID = 1L;

    public IrreparableIntentException(final String message) {
        super(message);
    }
}
