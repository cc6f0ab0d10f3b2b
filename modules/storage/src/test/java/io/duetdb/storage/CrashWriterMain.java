package io.duetdb.storage;

import io.duetdb.storage.io.IoMode;
import io.duetdb.storage.wal.SyncPolicy;
import io.duetdb.storage.wal.WalOptions;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Child process of {@link CrashRecoveryTest}: opens a store and writes at full speed from several
 * threads until it is killed. It prints {@code ACK <key> <value>} only after a put is acknowledged
 * (intent durable, batch applied), so every line the parent reads is a promise the store made.
 */
public final class CrashWriterMain {
    static final int WRITERS = 8;

    /** Small segments and frequent checkpoints, so kills land in rolls, checkpoints and recycling too. */
    static StoreOptions options(final IoMode mode) {
        return StoreOptions.defaults().withIoMode(mode)
            .withIntentWal(new WalOptions(256 * 1024, 256 * 1024, 16 * 1024, SyncPolicy.EVERY_WRITE))
            .withCompletionWal(new WalOptions(128 * 1024, 64 * 1024, 1024, SyncPolicy.ON_DEMAND))
            .withCheckpointEveryOps(1500);
    }

    public static void main(final String[] args) throws Exception {
        final Path dir = Path.of(args[0]);
        final IoMode mode = IoMode.parse(args[1]);
        final String run = args[2];
        final PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        final DuetStore store = DuetStore.open(dir, options(mode));
        synchronized (out) {
            out.println("READY " + store.ioBackend() + " " + store.lastAppliedIndex() + " " + store.size());
            out.flush();
        }
        final List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            final int writer = w;
            final Thread t = new Thread(() -> write(store, out, run, writer), "writer-" + w);
            t.start();
            threads.add(t);
        }
        for (final Thread t : threads) {
            t.join();
        }
    }

    private static void write(final DuetStore store, final PrintStream out, final String run, final int writer) {
        for (long seq = 0; ; seq++) {
            final String key = "r" + run + "-w" + writer + "-" + seq;
            final String value = "v" + key.hashCode() + "-" + "x".repeat((int) (seq % 300));
            try {
                store.put(key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
            } catch (final Exception e) {
                synchronized (out) {
                    out.println("ERROR " + e);
                    out.flush();
                }
                return;
            }
            synchronized (out) {
                out.println("ACK " + key + " " + value);
                out.flush();
            }
        }
    }

    private CrashWriterMain() {
    }
}
