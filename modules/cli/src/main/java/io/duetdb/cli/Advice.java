package io.duetdb.cli;

import io.duetdb.client.DuetException;
import io.grpc.Status;
import java.io.IOException;
import java.nio.file.NoSuchFileException;

/** Turns a failure into a message that says what happened and what to try. */
final class Advice {
    private Advice() {
    }

    static String explain(final Throwable thrown) {
        final Throwable failure = thrown instanceof picocli.CommandLine.ExecutionException && thrown.getCause() != null
            ? thrown.getCause() : thrown;
        if (failure instanceof DuetException e) {
            final String endpoints = String.join(",", e.endpointsTried());
            if (e.code() == Status.Code.UNAVAILABLE || e.code() == Status.Code.DEADLINE_EXCEEDED) {
                return e.getMessage() + "\nIs Duet running at " + (endpoints.isEmpty() ? "the endpoints" : endpoints)
                    + "? Check with: duetctl --endpoints " + (endpoints.isEmpty() ? "HOST:PORT" : endpoints)
                    + " endpoint health";
            }
            return e.getMessage();
        }
        if (failure instanceof NoSuchFileException e) {
            return "no such file: " + e.getFile();
        }
        if (failure instanceof IOException || failure instanceof IllegalStateException
            || failure instanceof IllegalArgumentException) {
            return failure.getMessage();
        }
        return failure.toString();
    }
}
