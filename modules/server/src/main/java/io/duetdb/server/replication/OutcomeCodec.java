package io.duetdb.server.replication;

import io.duetdb.api.internal.v1.EntryOutcome;
import io.duetdb.api.internal.v1.WriteOutcome;
import io.duetdb.server.api.ProtoMapping;
import io.duetdb.storage.table.OpResult;
import java.util.List;

/** Encodes what applying an entry did, for the node that proposed it (see entry.proto). */
final class OutcomeCodec {
    private OutcomeCodec() {
    }

    static EntryOutcome encode(final List<EntryApplier.WriteResult> results) {
        final EntryOutcome.Builder entry = EntryOutcome.newBuilder();
        for (final EntryApplier.WriteResult r : results) {
            final WriteOutcome.Builder w = WriteOutcome.newBuilder().setRevision(r.revision());
            switch (r.outcome()) {
                case DUPLICATE -> w.setStatus(WriteOutcome.Status.DUPLICATE);
                case EXPIRED -> w.setStatus(WriteOutcome.Status.SEQUENCE_EXPIRED);
                case SPACE_EXCEEDED -> w.setStatus(WriteOutcome.Status.SPACE_EXCEEDED).setRefusal(r.refusal());
                case APPLIED -> {
                    w.setStatus(WriteOutcome.Status.APPLIED);
                    final OpResult result = r.result();
                    if (result instanceof OpResult.PutResult p) {
                        w.setPut(ProtoMapping.toProto(p));
                    } else if (result instanceof OpResult.DeleteResult d) {
                        w.setDeleteRange(ProtoMapping.toProto(d));
                    } else if (result instanceof OpResult.TxnResult t) {
                        w.setTxn(ProtoMapping.toProto(t));
                    } else {
                        throw new IllegalStateException("a client write returned " + result);
                    }
                }
                default -> throw new IllegalStateException("outcome " + r.outcome());
            }
            entry.addWrites(w);
        }
        return entry.build();
    }
}
