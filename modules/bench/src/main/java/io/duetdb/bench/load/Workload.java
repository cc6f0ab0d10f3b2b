package io.duetdb.bench.load;

/** What each request of a run is; the names are the subcommands of duet-bench. */
public enum Workload {
    /** Puts of {@code --val-size} bytes to keys from the key space. */
    PUT("put"),
    /** Single-key reads (linearizable unless {@code --consistency s}). */
    RANGE("range"),
    /**
     * Compare-and-swap transactions: each client owns one key and swaps the value it last saw for a
     * new one ({@code if value == seen then put else get}); a failed compare reads the current value.
     */
    TXN_CAS("txn-cas"),
    /** Reads and puts, a {@code --read-fraction} of them reads. */
    MIXED("mixed");

    private final String label;

    Workload(final String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
