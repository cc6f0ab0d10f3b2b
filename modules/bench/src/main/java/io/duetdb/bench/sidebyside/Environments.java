package io.duetdb.bench.sidebyside;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The machine and the versions a run used, read from the system and from the classpath's jar names. */
final class Environments {
    /** Library versions worth printing, by the jar name they come from. */
    private static final Map<String, String> LIBRARIES = Map.of(
        "jetcd", "jetcd-core", "rocksdbjni", "rocksdbjni", "grpc-java", "grpc-netty", "netty", "netty-common",
        "vertx", "vertx-core", "HdrHistogram", "HdrHistogram", "xchart", "xchart", "ratis", "ratis-server");

    private Environments() {
    }

    static RunRecord.Environment capture(final String startedAt, final String finishedAt, final String command,
                                         final String etcdBinary, final double fsyncBefore, final double fsyncAfter,
                                         final String loadBefore, final String loadAfter) {
        final List<String> notes = new ArrayList<>();
        notes.add("clients run on the same 2 cores as the servers; the machine is shared with other jobs");
        return new RunRecord.Environment(startedAt, finishedAt, command, read("/proc/sys/kernel/osrelease"),
            cpuModel(), Runtime.getRuntime().availableProcessors(),
            System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
            EtcdCluster.version(etcdBinary), libraries(), duetCommit(), fsyncBefore, fsyncAfter, loadBefore,
            loadAfter, notes);
    }

    static Map<String, String> libraries() {
        final Map<String, String> out = new LinkedHashMap<>();
        for (final String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            final String jar = Path.of(entry).getFileName().toString();
            LIBRARIES.forEach((label, artifact) -> {
                final Matcher m = Pattern.compile(Pattern.quote(artifact) + "-(\\d[\\w.\\-]*?)\\.jar").matcher(jar);
                if (m.matches()) {
                    out.put(label, m.group(1));
                }
            });
        }
        return new java.util.TreeMap<>(out);
    }

    private static String cpuModel() {
        for (final String line : read("/proc/cpuinfo").split("\n")) {
            if (line.startsWith("model name")) {
                return line.substring(line.indexOf(':') + 1).trim();
            }
        }
        return "unknown";
    }

    private static String read(final String file) {
        try {
            return Files.readString(Path.of(file)).trim();
        } catch (final IOException e) {
            return "unknown";
        }
    }

    /** The checked-out commit (read only), marked when the tree has uncommitted changes. */
    private static String duetCommit() {
        final String head = git("rev-parse", "--short", "HEAD");
        final String changes = git("status", "--porcelain", "--untracked-files=no");
        return head.isEmpty() ? "unknown" : head + (changes.isEmpty() ? "" : " (with uncommitted changes)");
    }

    private static String git(final String... args) {
        final List<String> cmd = new ArrayList<>(List.of("git"));
        cmd.addAll(List.of(args));
        try {
            final Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            final String out = new String(p.getInputStream().readAllBytes()).trim();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : "";
        } catch (final IOException e) {
            return "";
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
