package io.duetdb.bench.sidebyside;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A child process with its output in a log file; closing it stops it (SIGTERM, then SIGKILL after
 * a grace period) and waits for it to be gone. Only processes started here are ever stopped.
 */
final class ManagedProcess implements AutoCloseable {
    private static final long STOP_GRACE_MS = 10_000;

    private final String name;
    private final Process process;
    private final Path log;

    private ManagedProcess(final String name, final Process process, final Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    static ManagedProcess start(final String name, final List<String> command, final Path log) throws IOException {
        Files.createDirectories(log.toAbsolutePath().getParent());
        final Process p = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        return new ManagedProcess(name, p, log);
    }

    /** The path of the java binary running this JVM, for child JVMs. */
    static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Fails with the end of the log if the process has exited. */
    void checkAlive() {
        if (!process.isAlive()) {
            throw new IllegalStateException(name + " (pid " + process.pid() + ") exited with " + process.exitValue()
                + "; the end of " + log + ":\n" + tail(30));
        }
    }

    String logText() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (final IOException e) {
            return "";
        }
    }

    String tail(final int lines) {
        final String[] all = logText().split("\n");
        return String.join("\n", java.util.Arrays.copyOfRange(all, Math.max(0, all.length - lines), all.length));
    }

    @Override
    public void close() throws InterruptedException {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        if (!process.waitFor(STOP_GRACE_MS, TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            process.waitFor(STOP_GRACE_MS, TimeUnit.MILLISECONDS);
        }
    }
}
