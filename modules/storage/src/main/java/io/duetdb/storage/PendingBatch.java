package io.duetdb.storage;

import io.duetdb.storage.table.Op;
import io.duetdb.storage.table.OpResult;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A batch whose intent is being made durable; applied in index order once it is. */
final class PendingBatch {
    final long index;
    final List<Op> ops;
    final CompletableFuture<List<OpResult>> result = new CompletableFuture<>();
    volatile boolean durable;

    PendingBatch(final long index, final List<Op> ops) {
        this.index = index;
        this.ops = ops;
    }
}
