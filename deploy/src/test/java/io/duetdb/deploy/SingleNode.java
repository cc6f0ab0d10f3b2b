package io.duetdb.deploy;

import io.duetdb.server.DuetNode;
import io.duetdb.server.config.ConfigLoader;
import io.duetdb.server.config.NodeConfig;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;

/** A one-member Duet cluster in this JVM, on loopback ports picked at random, for tests that need a live node. */
final class SingleNode implements AutoCloseable {
    private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(10);

    final int clientPort;
    final int adminPort;
    private final DuetNode node;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(HTTP_TIMEOUT).build();

    private SingleNode(final DuetNode node, final int clientPort, final int adminPort) {
        this.node = node;
        this.clientPort = clientPort;
        this.adminPort = adminPort;
    }

    static SingleNode start(final Path dataDir) throws IOException {
        final int peer = freePort();
        final int client = freePort();
        final int admin = freePort();
        final NodeConfig config = ConfigLoader.load(new String[] {"--id", "n1", "--data-dir", dataDir.toString(),
            "--host", "127.0.0.1", "--peer-port", String.valueOf(peer), "--client-port", String.valueOf(client),
            "--admin-port", String.valueOf(admin), "--members", "n1=127.0.0.1:" + peer + ":" + client,
            "--io-mode", "filechannel"}, Map.of());
        return new SingleNode(DuetNode.start(config, reason -> { }), client, admin);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** GET of the admin port; the status code and body. */
    HttpResponse<String> get(final String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + path)).timeout(HTTP_TIMEOUT)
            .build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Polls {@code path} until its body passes {@code done}, at most {@code limit}; returns the last body. */
    String await(final String path, final Predicate<HttpResponse<String>> done, final Duration limit)
        throws IOException, InterruptedException {
        final long deadline = System.nanoTime() + limit.toNanos();
        HttpResponse<String> last = get(path);
        while (!done.test(last)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(path + " did not reach the expected state within " + limit + ": "
                    + last.statusCode() + " " + last.body().lines().limit(5).toList());
            }
            Thread.sleep(100);
            last = get(path);
        }
        return last.body();
    }

    @Override
    public void close() {
        node.close();
    }
}
