package io.duetdb.storage.io;

import java.io.IOException;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses and creates a log's backend from an {@link IoMode}, once, when the store opens.
 * {@code auto} prefers io_uring and falls back to FileChannel with a warning that gives the cause;
 * {@code io_uring} fails fast with the cause; a live log never switches backends.
 */
public final class IoBackends {
    private static final Logger LOG = LoggerFactory.getLogger(IoBackends.class);

    private final IoMode mode;
    private final Supplier<Optional<Throwable>> uringUnavailability;

    /** Selection against the real io_uring probe of this process. */
    public IoBackends(final IoMode mode) {
        this(mode, IoUringBackend::unavailabilityCause);
    }

    /** Selection against a given probe (tests simulate an unavailable io_uring with it). */
    public IoBackends(final IoMode mode, final Supplier<Optional<Throwable>> uringUnavailability) {
        this.mode = mode;
        this.uringUnavailability = uringUnavailability;
    }

    /** The mode this factory was configured with. */
    public IoMode mode() {
        return mode;
    }

    /**
     * Creates the backend for one log.
     *
     * @throws IOException when {@code io_uring} was demanded and is unavailable (the message
     *     carries the cause), or when a ring cannot be created
     */
    public IoBackend create(final String logName) throws IOException {
        if (mode == IoMode.FILECHANNEL) {
            return new FileChannelBackend(logName);
        }
        final Optional<Throwable> cause = uringUnavailability.get();
        if (cause.isPresent()) {
            if (mode == IoMode.IO_URING) {
                throw new IOException("I/O backend io_uring was requested but io_uring is unavailable in this "
                    + "process: " + cause.get() + ". Use io backend 'auto' or 'filechannel', or allow the "
                    + "io_uring syscalls (container seccomp profiles block them by default).", cause.get());
            }
            LOG.warn("io_uring is unavailable ({}); the {} log uses the filechannel backend", cause.get(), logName);
            return new FileChannelBackend(logName);
        }
        try {
            return new IoUringBackend(logName);
        } catch (final IOException e) {
            if (mode == IoMode.IO_URING) {
                throw e;
            }
            LOG.warn("io_uring ring creation failed ({}); the {} log uses the filechannel backend",
                e.getMessage(), logName);
            return new FileChannelBackend(logName);
        }
    }
}
