package io.duetdb.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duetdb.storage.io.IoMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    private static final String[] MINIMAL = {"--id", "n1", "--data", "/tmp/d", "--peer-port", "7001",
        "--client-port", "2379", "--members", "n1=127.0.0.1:7001:2379"};

    @TempDir
    Path dir;

    private Path yaml(final String text) throws IOException {
        return Files.writeString(dir.resolve("duet.yaml"), text);
    }

    @Test
    void defaultsFromFlagsAlone() {
        final NodeConfig c = ConfigLoader.load(MINIMAL, Map.of());
        assertEquals("n1", c.id());
        assertEquals("127.0.0.1", c.listenHost(), "listen-host defaults to host");
        assertEquals(0, c.adminPort());
        assertEquals(IoMode.AUTO, c.ioMode());
        assertTrue(c.batching());
        assertEquals(4096, c.requestLimits().maxKeyBytes());
        assertEquals(2 << 20, c.requestLimits().maxRequestBytes());
        assertEquals(128, c.requestLimits().maxTxnOps());
        assertFalse(c.tls().enabled());
    }

    @Test
    void yamlThenEnvironmentThenFlags() throws IOException {
        final Path file = yaml("""
            id: n2
            data-dir: /var/lib/duet
            peer-port: 7002
            client-port: 2380
            admin-port: 9090
            listen-host: 0.0.0.0
            members:
              - {id: n1, host: a.example, peer-port: 7001, client-port: 2379}
              - n2=b.example:7002:2380
            io-mode: filechannel
            max-value-bytes: 1000
            """);
        final NodeConfig c = ConfigLoader.load(new String[] {"--config", file.toString(), "--max-value-bytes", "3000"},
            Map.of("DUET_ADMIN_PORT", "9191", "DUET_MAX_VALUE_BYTES", "2000", "DUET_PORT_2379_TCP", "ignored"));
        assertEquals("n2", c.id());
        assertEquals(Path.of("/var/lib/duet"), c.dataDir());
        assertEquals("0.0.0.0", c.listenHost());
        assertEquals(2, c.members().size());
        assertEquals("a.example:7001", c.members().get(0).peerAddress());
        assertEquals(IoMode.FILECHANNEL, c.ioMode());
        assertEquals(9191, c.adminPort(), "environment over YAML");
        assertEquals(3000, c.requestLimits().maxValueBytes(), "flag over environment");
    }

    @Test
    void nestedYamlMapsFlattenWithDashes() throws IOException {
        final Path cert = Files.writeString(dir.resolve("c.pem"), "x");
        final Path file = yaml("tls:\n  cert-file: " + cert + "\n  key-file: " + cert + "\n  ca-file: " + cert
            + "\n  client-auth: require\n");
        final NodeConfig c = ConfigLoader.load(concat(MINIMAL, "--config", file.toString()), Map.of());
        assertTrue(c.tls().enabled());
        assertTrue(c.tls().requireClientCert());
        assertEquals(cert, c.tls().caFile());
    }

    @Test
    void errorsNameTheSettingAndWhereItCameFrom() throws IOException {
        assertMessage(() -> ConfigLoader.load(concat(MINIMAL, "--client-port", "99999"), Map.of()),
            "client-port", "flag --client-port", "is not a port");
        assertMessage(() -> ConfigLoader.load(MINIMAL, Map.of("DUET_SNAPSHOT_EVERY", "often")),
            "snapshot-every", "DUET_SNAPSHOT_EVERY", "not a whole number");
        assertMessage(() -> ConfigLoader.load(MINIMAL, Map.of("DUET_IO_MODE", "floppy")), "io-mode", "floppy");
        assertMessage(() -> ConfigLoader.load(concat(MINIMAL, "--tls-client-auth", "maybe"), Map.of()),
            "tls-client-auth", "none, require");
        assertMessage(() -> ConfigLoader.load(concat(MINIMAL, "--config", yaml("colour: blue").toString()), Map.of()),
            "unknown setting 'colour'");
        assertMessage(() -> ConfigLoader.load(concat(MINIMAL, "--config", yaml("id: [n1").toString()), Map.of()),
            "not valid YAML");
        assertMessage(() -> ConfigLoader.load(new String[] {"--id", "n1"}, Map.of()), "required settings missing: data-dir", "peer-port", "members");
        assertMessage(() -> ConfigLoader.load(concat(MINIMAL, "--bogus", "1"), Map.of()), "unknown flag --bogus");
        assertMessage(() -> ConfigLoader.load(concat(MINIMAL, "--max-request-bytes", "9000000"), Map.of()),
            "max-request-bytes 9000000");
        assertMessage(() -> ConfigLoader.load(concat(MINIMAL, "--tls-cert-file", "/nonexistent.pem",
            "--tls-key-file", "/nonexistent.pem", "--tls-ca-file", "/nonexistent.pem"), Map.of()), "not readable");
        assertMessage(() -> ConfigLoader.load(concat(MINIMAL, "--tls-client-auth", "require"), Map.of()),
            "tls-cert-file");
    }

    @Test
    void booleanFlagsAndTheNoBatchingAlias() {
        assertFalse(ConfigLoader.load(concat(MINIMAL, "--no-batching"), Map.of()).batching());
        assertFalse(ConfigLoader.load(concat(MINIMAL, "--batching=false"), Map.of()).batching());
        assertTrue(ConfigLoader.load(concat(new String[] {"--join"}, MINIMAL), Map.of()).join());
        assertNull(ConfigLoader.load(MINIMAL, Map.of()).tls().certFile());
    }

    @Test
    void usageListsEverySetting() {
        final String usage = Setting.usage();
        for (final Setting s : Setting.values()) {
            assertTrue(usage.contains(s.flag()), s.flag());
        }
    }

    @Test
    void configurationDocsListEverySetting() throws IOException {
        final String docs = Files.readString(Path.of("../../docs/configuration.md"));
        for (final Setting s : Setting.values()) {
            assertTrue(docs.contains("| `" + s.key + "` | `" + s.flag() + "` | `" + s.envVar() + "` |"),
                s.key + " is documented in docs/configuration.md");
        }
    }

    private static void assertMessage(final org.junit.jupiter.api.function.Executable call, final String... parts) {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (final String part : parts) {
            assertTrue(e.getMessage().contains(part), "'" + part + "' in: " + e.getMessage());
        }
    }

    private static String[] concat(final String[] a, final String... b) {
        final String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
