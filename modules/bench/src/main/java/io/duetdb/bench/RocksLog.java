package io.duetdb.bench;

import java.io.IOException;
import java.nio.file.Path;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteOptions;

/**
 * The engine-level peer: RocksDB with its defaults and {@code WriteOptions.setSync(true)}, so each
 * put returns only after its WAL record is fdatasynced. Concurrent writers share a sync: RocksDB's
 * write group (one leader writes and syncs the WAL for everyone queued behind it) is its group
 * commit, which is what the engine is compared against.
 */
final class RocksLog implements AutoCloseable {
    static {
        RocksDB.loadLibrary();
    }

    private final Options options;
    private final RocksDB db;
    private final WriteOptions sync;

    RocksLog(final Path dir) throws IOException {
        this.options = new Options().setCreateIfMissing(true);
        try {
            this.db = RocksDB.open(options, dir.toString());
        } catch (final RocksDBException e) {
            options.close();
            throw new IOException("cannot open RocksDB in " + dir, e);
        }
        this.sync = new WriteOptions().setSync(true);
    }

    /** The RocksDB version of the native library, e.g. "9.10.0". */
    static String version() {
        final RocksDB.Version v = RocksDB.rocksdbVersion();
        return v.getMajor() + "." + v.getMinor() + "." + v.getPatch();
    }

    void put(final byte[] key, final byte[] value) throws IOException {
        try {
            db.put(sync, key, value);
        } catch (final RocksDBException e) {
            throw new IOException(e);
        }
    }

    @Override
    public void close() {
        sync.close();
        db.close();
        options.close();
    }
}
