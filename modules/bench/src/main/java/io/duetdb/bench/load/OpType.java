package io.duetdb.bench.load;

/** One kind of request; results carry a histogram per kind. */
public enum OpType {
    PUT("put"), RANGE("range"), TXN_CAS("txn-cas");

    private final String label;

    OpType(final String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
