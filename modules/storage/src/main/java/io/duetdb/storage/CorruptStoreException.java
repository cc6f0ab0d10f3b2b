package io.duetdb.storage;

import java.io.IOException;
import java.util.List;

/**
 * The store refuses to open: data it would need is damaged or missing and there is no replica to
 * repair it from. The message lists every location found.
 */
public final class CorruptStoreException extends IOException {
    private static final long serialVersionUID = 1L;
    private final List<String> locations;

    public CorruptStoreException(final String summary, final List<String> locations) {
        super(summary + (locations.isEmpty() ? "" : ":\n  " + String.join("\n  ", locations))
            + "\nThe store did not start, so nothing was served from damaged data. Inspect the files named above; "
            + "a replicated node repairs such records from its peers.");
        this.locations = List.copyOf(locations);
    }

    /** Each damaged place, as file, offset and index. */
    public List<String> locations() {
        return locations;
    }
}
