package io.duetdb.server.api;

import io.duetdb.server.read.NoReadIndexException;
import io.duetdb.server.replication.SpaceQuota;
import io.duetdb.server.replication.WriteBatcher;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.ratis.protocol.exceptions.LeaderNotReadyException;
import org.apache.ratis.protocol.exceptions.NotLeaderException;
import org.apache.ratis.protocol.exceptions.RaftRetryFailureException;
import org.apache.ratis.protocol.exceptions.ReadIndexException;
import org.apache.ratis.protocol.exceptions.ResourceUnavailableException;
import org.apache.ratis.protocol.exceptions.StateMachineException;
import org.apache.ratis.protocol.exceptions.TimeoutIOException;

/** Turns failures into gRPC statuses with a message a person can act on. */
public final class GrpcErrors {
    private GrpcErrors() {
    }

    public static StatusRuntimeException toStatus(final Throwable error) {
        Throwable t = error;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof StatusRuntimeException s) {
            return s;
        }
        if (t instanceof IllegalArgumentException) {
            return Status.INVALID_ARGUMENT.withDescription(t.getMessage()).asRuntimeException();
        }
        if (t instanceof WriteBatcher.QueueFullException || t instanceof ResourceUnavailableException
            || t instanceof SpaceQuota.SpaceExceededException) {
            return Status.RESOURCE_EXHAUSTED.withDescription(t.getMessage()).asRuntimeException();
        }
        if (t instanceof StateMachineException && t.getMessage() != null
            && t.getMessage().contains("invalid write request")) {
            return Status.INVALID_ARGUMENT.withDescription(t.getMessage()).asRuntimeException();
        }
        if (t instanceof NotLeaderException || t instanceof LeaderNotReadyException
            || t instanceof RaftRetryFailureException || t instanceof ReadIndexException) {
            return Status.UNAVAILABLE.withDescription("no leader could take the request yet (" + t.getMessage()
                + "); retry with backoff").asRuntimeException();
        }
        if (t instanceof NoReadIndexException) {
            return Status.UNAVAILABLE.withDescription("the linearizable read could not be confirmed: " + t.getMessage()
                + "; retry, or ask for a serializable read").asRuntimeException();
        }
        if (t instanceof TimeoutIOException || t instanceof java.util.concurrent.TimeoutException) {
            return Status.DEADLINE_EXCEEDED.withDescription(t.getMessage()).asRuntimeException();
        }
        return Status.UNAVAILABLE.withDescription(t.getClass().getSimpleName() + ": " + t.getMessage())
            .asRuntimeException();
    }
}
