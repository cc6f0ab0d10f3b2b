package io.duetdb.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * What the machine was doing during a run: {@code /proc/loadavg} and the CPU time split from
 * {@code /proc/stat}. The machine is shared, so every result carries them.
 */
public final class HostProbe {
    private HostProbe() {
    }

    /** The first three fields of /proc/loadavg ("1.23 0.98 0.70"), or "n/a". */
    public static String loadAverage() {
        try {
            final String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (final IOException | RuntimeException e) {
            return "n/a";
        }
    }

    /**
     * CPU time (user + system, all threads) a process has used so far, in milliseconds; -1 if it is
     * gone or the platform does not say. Read through ProcessHandle (on Linux: /proc/PID/stat).
     */
    public static long processCpuMs(final long pid) {
        return ProcessHandle.of(pid).flatMap(h -> h.info().totalCpuDuration()).map(d -> d.toMillis()).orElse(-1L);
    }

    /** /proc reports thread times in USER_HZ ticks, 100 per second in the Linux ABI. */
    private static final long PROC_TICKS_PER_SECOND = 100;

    /**
     * CPU time (user + system) a JVM's JIT compiler threads ({@code C1 CompilerThread*},
     * {@code C2 CompilerThread*}) have used so far, in milliseconds: 0 for a process without them
     * (etcd), -1 if the process is gone or /proc cannot be read. A compiler thread that exits between
     * two samples takes its time with it, so a difference of two samples is a lower bound.
     */
    public static long jitCpuMs(final long pid) {
        final List<Path> threads;
        try (Stream<Path> list = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            threads = list.toList();
        } catch (final IOException | RuntimeException e) {
            return -1;
        }
        long ticks = 0;
        for (final Path thread : threads) {
            try {
                final String name = Files.readString(thread.resolve("comm"));
                if (!name.startsWith("C1 CompilerThre") && !name.startsWith("C2 CompilerThre")) {
                    continue;
                }
                final String stat = Files.readString(thread.resolve("stat"));
                // After "(comm) ": field 3 (state) is index 0, so utime (14) and stime (15) are 11 and 12.
                final String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
            } catch (final IOException | RuntimeException e) {
                // the thread exited while we looked: its time is gone (see above)
            }
        }
        return ticks * 1000 / PROC_TICKS_PER_SECOND;
    }

    /** Cumulative CPU jiffies of all cores: total, idle and iowait. */
    public record CpuTimes(long total, long idle, long iowait) {
        /** Percent of CPU time busy (not idle, not waiting for I/O) between this sample and {@code later}. */
        public double busySince(final CpuTimes later) {
            final long dt = later.total - total;
            return dt <= 0 ? Double.NaN : 100.0 * (dt - (later.idle - idle) - (later.iowait - iowait)) / dt;
        }

        public double iowaitSince(final CpuTimes later) {
            final long dt = later.total - total;
            return dt <= 0 ? Double.NaN : 100.0 * (later.iowait - iowait) / dt;
        }
    }

    /** The aggregate "cpu" line of /proc/stat (zeros where it cannot be read). */
    public static CpuTimes cpuTimes() {
        try {
            for (final String line : Files.readAllLines(Path.of("/proc/stat"))) {
                if (line.startsWith("cpu ")) {
                    final String[] f = line.trim().split("\\s+");
                    long total = 0;
                    // user nice system idle iowait irq softirq steal (guest time is inside user)
                    for (int i = 1; i <= Math.min(8, f.length - 1); i++) {
                        total += Long.parseLong(f[i]);
                    }
                    return new CpuTimes(total, Long.parseLong(f[4]), Long.parseLong(f[5]));
                }
            }
        } catch (final IOException | RuntimeException e) {
            // not Linux: no CPU figures
        }
        return new CpuTimes(0, 0, 0);
    }
}
