package io.duetdb.storage.io;

import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.unix.Buffer;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoEvent;
import io.netty.channel.uring.IoUringIoHandle;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringIoHandlerConfig;
import io.netty.channel.uring.IoUringIoOps;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * File I/O on Linux io_uring through netty 4.2's io_uring transport. This is the only class in
 * Duet that touches netty's io_uring API, because that API still moves inside 4.2.x.
 *
 * <p>Each instance owns one single-thread {@link MultiThreadIoEventLoopGroup}, hence one ring and
 * one thread. A custom {@link IoUringIoHandle} is registered on it and submits raw SQEs
 * ({@link IoUringIoOps}): OPENAT, WRITE, FSYNC (DATASYNC), READ and CLOSE. Every SQE is tagged with
 * a 16-bit slot number so completions stay on netty's fast user-data path.
 *
 * <p>The fsync of a durable write is submitted from the write's completion, never as a linked
 * SQE: netty may submit a half-built chain when its submission queue fills, and the fsync would
 * then run without the write it was meant to cover.
 */
public final class IoUringBackend implements IoBackend {

    // Opcodes and flags from <linux/io_uring.h> and <fcntl.h>; netty keeps its own constants
    // package-private.
    private static final byte IORING_OP_FSYNC = 3;
    private static final byte IORING_OP_OPENAT = 18;
    private static final byte IORING_OP_CLOSE = 19;
    private static final byte IORING_OP_READ = 22;
    private static final byte IORING_OP_WRITE = 23;
    private static final int IORING_FSYNC_DATASYNC = 1;
    private static final int AT_FDCWD = -100;
    private static final int O_RDWR = 2;
    private static final int O_CLOEXEC = 0x80000;
    private static final int FILE_MODE = 0644;

    /** Operations in flight on one ring; more wait in {@link #waiting} (bounded by the WAL). */
    private static final int MAX_OPS_IN_FLIGHT = 256;
    private static final int RING_ENTRIES = 512;
    private static final int CONTROL_TIMEOUT_SECONDS = 30;

    private final MultiThreadIoEventLoopGroup group;
    private final IoEventLoop loop;
    private final IoRegistration registration;
    // Touched only on the loop thread.
    private final Op[] opsBySlot = new Op[MAX_OPS_IN_FLIGHT + 1];
    private final ArrayDeque<Integer> freeSlots = new ArrayDeque<>(MAX_OPS_IN_FLIGHT);
    private final ArrayDeque<Op> waiting = new ArrayDeque<>();
    private boolean closed;

    /** Why io_uring cannot be used in this process, or empty when it can. */
    public static Optional<Throwable> unavailabilityCause() {
        try {
            if (IoUring.isAvailable()) {
                return Optional.empty();
            }
            final Throwable cause = IoUring.unavailabilityCause();
            return Optional.of(cause != null ? cause : new UnsupportedOperationException("io_uring unavailable"));
        } catch (final LinkageError e) {
            return Optional.of(e);
        }
    }

    /**
     * Starts a ring and its thread.
     *
     * @param logName names the thread, e.g. {@code intent}
     * @throws IOException when the ring cannot be created even though io_uring looked available
     *     (for example a memlock limit on old kernels)
     */
    public IoUringBackend(final String logName) throws IOException {
        for (int slot = 1; slot <= MAX_OPS_IN_FLIGHT; slot++) {
            freeSlots.add(slot);
        }
        MultiThreadIoEventLoopGroup created = null;
        try {
            created = new MultiThreadIoEventLoopGroup(1,
                r -> {
                    final Thread t = new Thread(r, "duet-wal-" + logName + "-uring");
                    t.setDaemon(true);
                    return t;
                },
                IoUringIoHandler.newFactory(new IoUringIoHandlerConfig().setRingSize(RING_ENTRIES)));
            this.group = created;
            this.loop = created.next();
            this.registration = loop.register(new Handle()).get(CONTROL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (final InterruptedException e) {
            shutdown(created);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting the io_uring ring", e);
        } catch (final ExecutionException | TimeoutException | RuntimeException | LinkageError e) {
            shutdown(created);
            final Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new IOException("could not start an io_uring ring: " + cause, cause);
        }
    }

    @Override
    public String name() {
        return "io_uring";
    }

    @Override
    public LogFile open(final Path path) throws IOException {
        final byte[] name = path.toAbsolutePath().toString().getBytes(StandardCharsets.UTF_8);
        final ByteBuffer cPath = ByteBuffer.allocateDirect(name.length + 1);
        cPath.put(name).put((byte) 0).flip();
        final Op op = new Op(OpKind.OPEN, -1, 0, cPath, false);
        final int fd = awaitControl(op, "open " + path);
        return new RingFile(path, fd);
    }

    @Override
    public CompletableFuture<Void> write(
        final LogFile file, final long fileOffset, final ByteBuffer src, final boolean datasync) {
        requireDirect(src);
        final Op op = new Op(OpKind.WRITE, fd(file), fileOffset, src, datasync);
        start(op);
        return op.future.thenApply(ignored -> null);
    }

    @Override
    public CompletableFuture<Void> datasync(final LogFile file) {
        final Op op = new Op(OpKind.FSYNC, fd(file), 0, null, false);
        start(op);
        return op.future.thenApply(ignored -> null);
    }

    @Override
    public CompletableFuture<Integer> read(final LogFile file, final long fileOffset, final ByteBuffer dst) {
        requireDirect(dst);
        final Op op = new Op(OpKind.READ, fd(file), fileOffset, dst, false);
        start(op);
        return op.future.thenApply(ignored -> op.transferredBytes);
    }

    @Override
    public void close(final LogFile file) throws IOException {
        final RingFile ringFile = (RingFile) file;
        if (ringFile.closed) {
            return;
        }
        ringFile.closed = true;
        awaitControl(new Op(OpKind.CLOSE, ringFile.fd, 0, null, false), "close " + file.path());
    }

    @Override
    public void close() {
        try {
            loop.execute(() -> closed = true);
        } catch (final RejectedExecutionException ignored) {
            // Already shut down.
        }
        registration.cancel();
        shutdown(group);
    }

    private static void shutdown(final MultiThreadIoEventLoopGroup group) {
        if (group != null) {
            group.shutdownGracefully(0, CONTROL_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .awaitUninterruptibly(CONTROL_TIMEOUT_SECONDS + 5L, TimeUnit.SECONDS);
        }
    }

    private int awaitControl(final Op op, final String what) throws IOException {
        if (loop.inEventLoop()) {
            throw new IllegalStateException("blocking call '" + what + "' on the io_uring thread would deadlock");
        }
        start(op);
        try {
            return op.future.get(CONTROL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted during " + what, e);
        } catch (final ExecutionException e) {
            final Throwable cause = e.getCause();
            throw cause instanceof IOException ? (IOException) cause : new IOException(what + " failed", cause);
        } catch (final TimeoutException e) {
            throw new IOException(what + " did not complete within " + CONTROL_TIMEOUT_SECONDS + " s", e);
        }
    }

    private void start(final Op op) {
        try {
            if (loop.inEventLoop()) {
                enqueue(op);
            } else {
                loop.execute(() -> enqueue(op));
            }
        } catch (final RejectedExecutionException e) {
            op.future.completeExceptionally(new IOException("the io_uring backend is closed", e));
        }
    }

    private void enqueue(final Op op) {
        if (closed) {
            op.future.completeExceptionally(new IOException("the io_uring backend is closed"));
            return;
        }
        final Integer slot = freeSlots.poll();
        if (slot == null) {
            waiting.add(op);
            return;
        }
        opsBySlot[slot] = op;
        submit(slot, op);
    }

    private void submit(final int slot, final Op op) {
        final IoUringIoOps sqe;
        switch (op.kind) {
            case OPEN:
                sqe = sqe(IORING_OP_OPENAT, AT_FDCWD, 0, Buffer.memoryAddress(op.buffer), FILE_MODE,
                    O_RDWR | O_CLOEXEC, slot);
                break;
            case WRITE:
                if (op.syncPhase) {
                    sqe = sqe(IORING_OP_FSYNC, op.fd, 0, 0, 0, IORING_FSYNC_DATASYNC, slot);
                } else {
                    sqe = sqe(IORING_OP_WRITE, op.fd, op.fileOffset + op.transferredBytes,
                        address(op.buffer), op.buffer.remaining(), 0, slot);
                }
                break;
            case READ:
                sqe = sqe(IORING_OP_READ, op.fd, op.fileOffset + op.transferredBytes,
                    address(op.buffer), op.buffer.remaining(), 0, slot);
                break;
            case FSYNC:
                sqe = sqe(IORING_OP_FSYNC, op.fd, 0, 0, 0, IORING_FSYNC_DATASYNC, slot);
                break;
            case CLOSE:
                sqe = sqe(IORING_OP_CLOSE, op.fd, 0, 0, 0, 0, slot);
                break;
            default:
                throw new IllegalStateException("unknown op " + op.kind);
        }
        registration.submit(sqe);
    }

    private static IoUringIoOps sqe(
        final byte opcode, final int fd, final long offset, final long address, final int len, final int opFlags,
        final int slot) {
        return new IoUringIoOps(opcode, (byte) 0, (short) 0, fd, offset, address, len, opFlags,
            (long) slot, (short) 0, (short) 0, 0, 0L);
    }

    /** Runs on the loop thread for every CQE of our registration. */
    private void complete(final int slot, final int res) {
        final Op op = opsBySlot[slot];
        if (op == null) {
            throw new IllegalStateException("completion for an empty slot " + slot + " (res=" + res + ")");
        }
        if (res < 0) {
            finish(slot, op, new IOException(op.describe() + " failed: " + Errno.describe(-res)));
            return;
        }
        switch (op.kind) {
            case WRITE:
                if (op.syncPhase) {
                    finish(slot, op, null);
                    return;
                }
                op.advance(res);
                if (op.buffer.hasRemaining()) {
                    if (res == 0) {
                        finish(slot, op, new IOException(op.describe() + " wrote 0 bytes"));
                    } else {
                        submit(slot, op); // short write: the rest goes out from the same slot
                    }
                } else if (op.datasync) {
                    op.syncPhase = true; // the fsync leaves only after the write has completed
                    submit(slot, op);
                } else {
                    finish(slot, op, null);
                }
                return;
            case READ:
                op.advance(res);
                if (res > 0 && op.buffer.hasRemaining()) {
                    submit(slot, op);
                } else {
                    finish(slot, op, null);
                }
                return;
            case OPEN:
                op.transferredBytes = res; // the new fd
                finish(slot, op, null);
                return;
            default:
                finish(slot, op, null);
        }
    }

    private void finish(final int slot, final Op op, final IOException error) {
        opsBySlot[slot] = null;
        final Op next = waiting.poll();
        if (next != null) {
            opsBySlot[slot] = next;
            submit(slot, next);
        } else {
            freeSlots.push(slot);
        }
        if (error != null) {
            op.future.completeExceptionally(error);
        } else {
            op.future.complete(op.transferredBytes);
        }
    }

    private void failAll(final String why) {
        closed = true;
        for (int slot = 1; slot <= MAX_OPS_IN_FLIGHT; slot++) {
            final Op op = opsBySlot[slot];
            if (op != null) {
                opsBySlot[slot] = null;
                op.future.completeExceptionally(new IOException(op.describe() + " aborted: " + why));
            }
        }
        Op op;
        while ((op = waiting.poll()) != null) {
            op.future.completeExceptionally(new IOException(op.describe() + " aborted: " + why));
        }
    }

    private static long address(final ByteBuffer buffer) {
        return Buffer.memoryAddress(buffer) + buffer.position();
    }

    private static void requireDirect(final ByteBuffer buffer) {
        if (!buffer.isDirect()) {
            throw new IllegalArgumentException("io_uring needs a direct buffer");
        }
    }

    private static int fd(final LogFile file) {
        if (!(file instanceof RingFile)) {
            throw new IllegalArgumentException("file was not opened by this backend: " + file.path());
        }
        final RingFile ringFile = (RingFile) file;
        if (ringFile.closed) {
            throw new IllegalStateException("file is closed: " + file.path());
        }
        return ringFile.fd;
    }

    private final class Handle implements IoUringIoHandle {
        @Override
        public void handle(final IoRegistration reg, final IoEvent ioEvent) {
            final IoUringIoEvent event = (IoUringIoEvent) ioEvent;
            complete((int) event.userData(), event.res());
        }

        @Override
        public void close() {
            failAll("the io_uring backend is closing");
        }
    }

    private enum OpKind { OPEN, WRITE, READ, FSYNC, CLOSE }

    private static final class Op {
        final OpKind kind;
        final int fd;
        final long fileOffset;
        final ByteBuffer buffer;
        final boolean datasync;
        final CompletableFuture<Integer> future = new CompletableFuture<>();
        int transferredBytes;
        boolean syncPhase;

        Op(final OpKind kind, final int fd, final long fileOffset, final ByteBuffer buffer, final boolean datasync) {
            this.kind = kind;
            this.fd = fd;
            this.fileOffset = fileOffset;
            this.buffer = buffer;
            this.datasync = datasync;
        }

        void advance(final int bytes) {
            transferredBytes += bytes;
            buffer.position(buffer.position() + bytes);
        }

        String describe() {
            switch (kind) {
                case WRITE:
                    return syncPhase ? "fdatasync (fd " + fd + ")" : "write at offset " + fileOffset + " (fd " + fd + ")";
                case READ:
                    return "read at offset " + fileOffset + " (fd " + fd + ")";
                case FSYNC:
                    return "fdatasync (fd " + fd + ")";
                default:
                    return kind.name().toLowerCase() + (fd >= 0 ? " (fd " + fd + ")" : "");
            }
        }
    }

    private static final class RingFile implements LogFile {
        private final Path path;
        private final int fd;
        private volatile boolean closed;

        RingFile(final Path path, final int fd) {
            this.path = path;
            this.fd = fd;
        }

        @Override
        public Path path() {
            return path;
        }
    }
}
