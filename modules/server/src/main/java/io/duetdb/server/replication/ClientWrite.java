package io.duetdb.server.replication;

import io.duetdb.storage.table.Op;

/**
 * One client write: a single Put, DeleteRange or Txn, with its optional write id for exactly-once
 * application. A write id is a 16-byte client id (two longs) and a sequence number >= 1; a
 * sequence of 0 means "no write id" (a retry may then apply twice).
 */
public record ClientWrite(long clientIdHigh, long clientIdLow, long sequence, Op op) {

    /** Checks the shape: an op that is a write, and a write id that is either whole or absent. */
    public ClientWrite {
        if (op == null || op instanceof Op.Range) {
            throw new IllegalArgumentException("a client write is a put, a delete range or a txn, not " + op);
        }
        if (sequence < 0) {
            throw new IllegalArgumentException("sequence=" + sequence + " must be >= 1 (or 0 for no write id)");
        }
        if (sequence == 0 && (clientIdHigh != 0 || clientIdLow != 0)) {
            throw new IllegalArgumentException("a write id needs a sequence >= 1");
        }
        if (sequence > 0 && clientIdHigh == 0 && clientIdLow == 0) {
            throw new IllegalArgumentException("a write id needs a non-zero client id");
        }
    }

    /** A write without a write id. */
    public static ClientWrite of(final Op op) {
        return new ClientWrite(0, 0, 0, op);
    }

    public boolean hasWriteId() {
        return sequence != 0;
    }
}
