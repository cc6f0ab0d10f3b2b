package io.duetdb.client;

/** The result of one {@link Op}, alone or inside a transaction. */
public sealed interface OpResult permits RangeResult, PutResult, DeleteResult {
    /** The reply's header (inside a transaction: the transaction's). */
    Header header();
}
