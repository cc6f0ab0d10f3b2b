package io.duetdb.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Endpoints where nothing listens: reads are retried across them and fail with UNAVAILABLE naming
 * every endpoint; a write's outcome is reported as unknown; a closed client refuses calls.
 */
class UnreachableEndpointsTest {
    private static String deadEndpoint() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return "127.0.0.1:" + s.getLocalPort(); // closed again: connections are refused
        }
    }

    @Test
    void unreachableEndpointsGiveUnavailableNamingThem() throws Exception {
        final List<String> dead = List.of(deadEndpoint(), deadEndpoint());
        try (DuetClient client = DuetClient.builder().endpoints(dead).requestTimeout(Duration.ofSeconds(30))
            .maxAttempts(4).retryBackoff(Duration.ofMillis(10), Duration.ofMillis(50)).build()) {
            final DuetException read = assertThrows(DuetException.class, () -> client.kv().get("k"));
            assertEquals(Status.Code.UNAVAILABLE, read.code(), read.getMessage());
            assertEquals(4, read.attempts(), "a read is retried up to maxAttempts: " + read.getMessage());
            assertEquals(dead.size(), read.endpointsTried().size(), read.getMessage());
            for (final String endpoint : dead) {
                assertTrue(read.getMessage().contains(endpoint), read.getMessage());
            }

            final DuetException write = assertThrows(DuetException.class, () -> client.kv().put("k", "v"));
            assertEquals(Status.Code.UNAVAILABLE, write.code());
            assertTrue(write.outcomeUnknown(), "UNAVAILABLE does not say whether the write was applied");

            final List<EndpointStatus> statuses = client.cluster().statusAll();
            assertEquals(dead.size(), statuses.size());
            statuses.forEach(s -> assertEquals(Status.Code.UNAVAILABLE, s.error().code()));
            assertTrue(client.leaderEndpoint().isEmpty());

            final DuetException tooLarge = assertThrows(DuetException.class,
                () -> client.kv().put(Bytes.of("big"), Bytes.of(new byte[9 * 1024 * 1024])));
            assertEquals(Status.Code.INVALID_ARGUMENT, tooLarge.code());
            assertEquals(0, tooLarge.attempts(), "refused before sending");
            assertTrue(tooLarge.getMessage().contains("maxRequestBytes"), tooLarge.getMessage());
        }
    }

    @Test
    void aClosedClientRefusesCalls() throws Exception {
        final DuetClient client = DuetClient.builder().endpoints(deadEndpoint()).build();
        client.close();
        final DuetException e = assertThrows(DuetException.class, () -> client.kv().get("k"));
        assertEquals(Status.Code.CANCELLED, e.code());
    }
}
