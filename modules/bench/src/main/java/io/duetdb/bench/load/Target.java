package io.duetdb.bench.load;

/** The system a run drives. */
public enum Target {
    /** A Duet cluster, through the Java client (io.duetdb.client.DuetClient). */
    DUET("duet"),
    /** An etcd cluster, through jetcd (etcd's Java client). */
    ETCD("etcd"),
    /**
     * The no-op gRPC service (io.duetdb.bench.noop.NoopServer): Duet's API answered at once, on
     * Duet's gRPC transport, through the same Java client: the ceiling for request handling.
     */
    NOOP("noop");

    private final String label;

    Target(final String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static Target parse(final String text) {
        for (final Target t : values()) {
            if (t.label.equalsIgnoreCase(text)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown target '" + text + "' (duet, etcd or noop)");
    }
}
