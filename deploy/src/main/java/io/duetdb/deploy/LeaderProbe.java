package io.duetdb.deploy;

import io.duetdb.client.DuetClient;
import io.duetdb.client.EndpointStatus;
import io.duetdb.server.config.NodeConfig;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Asks other members, once each and all at once, whether they know a leader: the sign that the
 * cluster already runs. Members that do not resolve, refuse or do not answer within
 * {@link #ANSWER_TIMEOUT} count as knowing none.
 */
final class LeaderProbe implements Function<List<String>, Optional<String>> {
    static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(3);
    /** gRPC logs a warning for every member that does not resolve yet, which is normal at first start. */
    private static final Logger GRPC_LOG = Logger.getLogger("io.grpc");

    private final int clientPort;
    private final NodeConfig.Tls tls;

    LeaderProbe(final int clientPort, final NodeConfig.Tls tls) {
        this.clientPort = clientPort;
        this.tls = tls;
    }

    @Override
    public Optional<String> apply(final List<String> hosts) {
        if (hosts.isEmpty()) {
            return Optional.empty();
        }
        final DuetClient.Builder b = DuetClient.builder()
            .endpoints(hosts.stream().map(h -> h + ":" + clientPort).toList())
            .requestTimeout(ANSWER_TIMEOUT).attemptTimeout(ANSWER_TIMEOUT).maxAttempts(1);
        if (tls.enabled()) {
            b.trustedCaFile(tls.caFile()).clientCertificate(tls.certFile(), tls.keyFile());
        }
        final Level level = GRPC_LOG.getLevel();
        GRPC_LOG.setLevel(Level.SEVERE);
        try (DuetClient client = b.build()) {
            for (final EndpointStatus s : client.cluster().statusAll()) {
                if (s.ok() && !s.status().leaderId().isEmpty()) {
                    return Optional.of(s.status().memberId() + " at " + s.endpoint() + " knows leader "
                        + s.status().leaderId());
                }
            }
        } finally {
            GRPC_LOG.setLevel(level);
        }
        return Optional.empty();
    }
}
