package io.duetdb.storage.io;

import java.util.Locale;

/** Which I/O backend a log uses; chosen once when the store opens. */
public enum IoMode {
    /** io_uring when the kernel and the process sandbox allow it, otherwise FileChannel. */
    AUTO("auto"),
    /** io_uring or nothing: refuses to start when io_uring is unavailable, giving the cause. */
    IO_URING("io_uring"),
    /** One blocking writer thread per log, FileChannel write + force. Works everywhere. */
    FILECHANNEL("filechannel");

    private final String configName;

    IoMode(final String configName) {
        this.configName = configName;
    }

    /** The spelling used in configuration files and flags. */
    public String configName() {
        return configName;
    }

    /** Parses {@code auto}, {@code io_uring} or {@code filechannel} (case-insensitive). */
    public static IoMode parse(final String value) {
        final String v = value.trim().toLowerCase(Locale.ROOT).replace('-', '_');
        for (final IoMode mode : values()) {
            if (mode.configName.equals(v)) {
                return mode;
            }
        }
        if ("iouring".equals(v) || "uring".equals(v)) {
            return IO_URING;
        }
        throw new IllegalArgumentException(
            "unknown I/O backend '" + value + "': expected one of auto, io_uring, filechannel");
    }
}
