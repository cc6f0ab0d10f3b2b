package io.duetdb.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The JIT probe reads the compiler threads of a JVM, nothing of other processes, and says when a pid is gone. */
class HostProbeTest {
    @Test
    void jitCpuCountsThisJvmsCompilerThreadsOnly() throws Exception {
        // This JVM has compiled JUnit and the test by now: its compiler threads have used CPU.
        final long self = HostProbe.jitCpuMs(ProcessHandle.current().pid());
        assertTrue(self > 0, "this JVM's compiler threads used " + self + " ms");
        assertTrue(self <= HostProbe.processCpuMs(ProcessHandle.current().pid()), "a part of the process's CPU");

        final Process sleeper = new ProcessBuilder("sleep", "30").start();
        try {
            assertEquals(0, HostProbe.jitCpuMs(sleeper.pid()), "a process without a JIT");
        } finally {
            sleeper.destroyForcibly().waitFor();
        }
        assertEquals(-1, HostProbe.jitCpuMs(sleeper.pid()), "a process that is gone");
    }
}
