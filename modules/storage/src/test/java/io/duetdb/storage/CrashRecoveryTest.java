package io.duetdb.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duetdb.storage.io.IoMode;
import io.duetdb.storage.recovery.RecoveryAction;
import io.duetdb.storage.table.KeyValue;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The durability claim, tested the hard way: a real JVM writing at full speed is killed with
 * SIGKILL at random moments, 20 times in a row on the same directory (alternating the io_uring and
 * FileChannel backends, which share one format). After each kill the store must open without help
 * and hold every write it acknowledged.
 */
class CrashRecoveryTest {
    private static final int KILLS = 20;
    private static final long SEED = Long.getLong("duet.crashSeed", 20261124L);

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedWriteSurvivesRepeatedKillNine() throws Exception {
        final Random random = new Random(SEED);
        final Map<String, String> acknowledged = new ConcurrentHashMap<>();
        for (int run = 0; run < KILLS; run++) {
            final IoMode mode = run % 2 == 0 ? IoMode.IO_URING : IoMode.FILECHANNEL;
            final int killAfterAcks = 20 + random.nextInt(2500);
            final int before = acknowledged.size();
            runAndKill(run, mode, killAfterAcks, acknowledged);
            final String context = "seed " + SEED + ", run " + run + " (" + mode.configName() + "), killed after "
                + (acknowledged.size() - before) + " acks";
            try (DuetStore store = DuetStore.open(dir, CrashWriterMain.options(mode))) {
                assertEquals(0, store.recoveryReport().count(RecoveryAction.REFUSE), context);
                int missing = 0;
                String firstMissing = null;
                for (final Map.Entry<String, String> e : acknowledged.entrySet()) {
                    final KeyValue kv = store.get(e.getKey().getBytes(StandardCharsets.UTF_8));
                    if (kv == null || !e.getValue().equals(new String(kv.value(), StandardCharsets.UTF_8))) {
                        missing++;
                        firstMissing = firstMissing == null ? e.getKey() : firstMissing;
                    }
                }
                assertEquals(0, missing, context + ": acknowledged writes lost, e.g. " + firstMissing);
                assertTrue(store.size() >= acknowledged.size(), context);
            }
        }
        assertTrue(acknowledged.size() > KILLS * 20, "the writers made progress: " + acknowledged.size());
    }

    private void runAndKill(final int run, final IoMode mode, final int killAfterAcks,
                            final Map<String, String> acknowledged) throws Exception {
        final Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        final Process child = new ProcessBuilder(java.toString(), "-Xmx256m",
            "-cp", System.getProperty("java.class.path"), CrashWriterMain.class.getName(),
            dir.toString(), mode.configName(), Integer.toString(run))
            .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        final CountDownLatch enoughAcks = new CountDownLatch(1);
        final AtomicInteger acks = new AtomicInteger();
        final List<String> errors = new ArrayList<>();
        final String[] ready = new String[1];
        final Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.startsWith("ACK ")) {
                        final int space = line.indexOf(' ', 4);
                        acknowledged.put(line.substring(4, space), line.substring(space + 1));
                        if (acks.incrementAndGet() >= killAfterAcks) {
                            enoughAcks.countDown();
                        }
                    } else if (line.startsWith("READY ")) {
                        ready[0] = line;
                    } else if (line.startsWith("ERROR ")) {
                        synchronized (errors) {
                            errors.add(line);
                        }
                        enoughAcks.countDown();
                    }
                }
            } catch (final java.io.IOException ignored) {
                // The pipe closes when the child dies.
            }
            enoughAcks.countDown();
        }, "crash-child-reader");
        reader.start();
        final boolean reached = enoughAcks.await(120, TimeUnit.SECONDS);
        child.destroyForcibly(); // SIGKILL
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child did not die");
        reader.join(TimeUnit.SECONDS.toMillis(60));
        assertTrue(reached, "run " + run + ": the child made no progress in 120 s (" + acks.get() + " acks)");
        assertNotNull(ready[0], "run " + run + ": the child never opened its store");
        synchronized (errors) {
            assertTrue(errors.isEmpty(), "run " + run + ": writer errors before the kill: " + errors);
        }
    }
}
