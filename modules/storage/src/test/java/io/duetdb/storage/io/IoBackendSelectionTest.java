package io.duetdb.storage.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** auto falls back when io_uring is unavailable; io_uring then refuses to start, giving the cause. */
class IoBackendSelectionTest {
    private static final Optional<Throwable> BLOCKED =
        Optional.of(new RuntimeException("failed to create io_uring ring fd: Operation not permitted"));

    @Test
    void autoFallsBackToFileChannelWhenIoUringIsBlocked() throws IOException {
        try (IoBackend backend = new IoBackends(IoMode.AUTO, () -> BLOCKED).create("intent")) {
            assertEquals("filechannel", backend.name());
        }
    }

    @Test
    void explicitIoUringRefusesToStartAndGivesTheCause() {
        final IOException e = assertThrows(IOException.class,
            () -> new IoBackends(IoMode.IO_URING, () -> BLOCKED).create("intent"));
        assertTrue(e.getMessage().contains("Operation not permitted"), e.getMessage());
        assertTrue(e.getMessage().contains("filechannel"), "the message suggests the way out: " + e.getMessage());
    }

    @Test
    void autoUsesIoUringWhereItIsAvailable() throws IOException {
        final String expected = IoUringBackend.unavailabilityCause().isPresent() ? "filechannel" : "io_uring";
        try (IoBackend backend = new IoBackends(IoMode.AUTO).create("intent")) {
            assertEquals(expected, backend.name());
        }
    }

    @Test
    void modesParseFromConfigurationSpellings() {
        assertEquals(IoMode.IO_URING, IoMode.parse("io_uring"));
        assertEquals(IoMode.IO_URING, IoMode.parse("IO-URING"));
        assertEquals(IoMode.FILECHANNEL, IoMode.parse("filechannel"));
        assertEquals(IoMode.AUTO, IoMode.parse(" auto "));
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IoMode.parse("aio"));
        assertTrue(e.getMessage().contains("auto, io_uring, filechannel"), e.getMessage());
    }

    /** The real probe, in a JVM where netty's native transports are switched off. */
    @Test
    void aProcessWithoutNativeIoFallsBackForRealAndRefusesExplicitIoUring() throws Exception {
        final List<String> auto = runChild("auto");
        assertTrue(auto.contains("backend=filechannel"), String.join("\n", auto));
        final List<String> uring = runChild("io_uring");
        assertTrue(uring.stream().anyMatch(l -> l.startsWith("refused=") && l.contains("unavailable")),
            String.join("\n", uring));
    }

    private static List<String> runChild(final String mode) throws Exception {
        final Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        final Process process = new ProcessBuilder(java.toString(), "-Dio.netty.transport.noNative=true",
            "-cp", System.getProperty("java.class.path"), BackendProbeMain.class.getName(), mode)
            .redirectErrorStream(true).start();
        final List<String> lines;
        try (BufferedReader reader = new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            lines = reader.lines().collect(Collectors.toList());
        }
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "child did not exit");
        return lines;
    }

    /** Child entry point: prints which backend a mode yields. */
    public static final class BackendProbeMain {
        public static void main(final String[] args) {
            try (IoBackend backend = new IoBackends(IoMode.parse(args[0])).create("intent")) {
                System.out.println("backend=" + backend.name());
            } catch (final IOException e) {
                System.out.println("refused=" + e.getMessage());
            }
        }
    }
}
