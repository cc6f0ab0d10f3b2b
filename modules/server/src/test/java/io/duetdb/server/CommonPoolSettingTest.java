package io.duetdb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A node's JVM on two cores runs CompletableFuture's async tasks on a pool, not a thread each. */
class CommonPoolSettingTest {
    /** Prints which executor CompletableFuture's *Async methods use, after loading the class named in args[0]. */
    public static final class Probe {
        public static void main(final String[] args) throws Exception {
            if (args.length > 0) {
                Class.forName(args[0], true, Probe.class.getClassLoader());
            }
            System.out.println(new CompletableFuture<Void>().defaultExecutor().getClass().getName());
        }
    }

    @Test
    void onTwoCoresTheNodeMainGivesAsyncTasksAPool() throws Exception {
        // Control: a plain JVM limited to two cores starts a thread per async task.
        assertTrue(probe().contains("ThreadPerTaskExecutor"), "the JDK's behaviour this setting works around");
        assertEquals(java.util.concurrent.ForkJoinPool.class.getName(), probe(DuetNodeMain.class.getName()));
    }

    @Test
    void parallelismIsTheJdkChoiceRaisedToTwo() {
        assertEquals(2, CommonPoolSetting.parallelismFor(1));
        assertEquals(2, CommonPoolSetting.parallelismFor(2));
        assertEquals(2, CommonPoolSetting.parallelismFor(3));
        assertEquals(7, CommonPoolSetting.parallelismFor(8));
    }

    private static String probe(final String... loadFirst) throws IOException, InterruptedException {
        final List<String> cmd = new java.util.ArrayList<>(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:ActiveProcessorCount=2",
            "-cp", System.getProperty("java.class.path"), Probe.class.getName()));
        cmd.addAll(List.of(loadFirst));
        final Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the probe JVM did not exit");
        assertEquals(0, p.exitValue(), out);
        final String[] lines = out.strip().split("\n");
        return lines[lines.length - 1].strip();
    }
}
