package io.duetdb.client;

/**
 * Sets {@code key} to {@code value}; made by {@link Op#put}.
 *
 * @param key    the key (1 byte to the server's max-key-bytes, 4 KiB by default)
 * @param value  the value (up to the server's max-value-bytes, 1 MiB by default)
 * @param prevKv whether the reply carries the value the key had before
 */
public record PutOp(Bytes key, Bytes value, boolean prevKv) implements Op {
    public PutOp {
        if (key == null || value == null) {
            throw new IllegalArgumentException("a put needs a key and a value (got key=" + key + ")");
        }
    }

    /** The same put, returning the previous key-value in {@link PutResult#previous()}. */
    public PutOp withPrevKv() {
        return new PutOp(key, value, true);
    }
}
