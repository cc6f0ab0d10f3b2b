package io.duetdb.cli;

import io.duetdb.api.v1.MaintenanceGrpc;
import io.duetdb.api.v1.SnapshotChunk;
import io.duetdb.api.v1.SnapshotDownloadRequest;
import io.duetdb.client.DuetClient;
import io.duetdb.server.replication.SnapshotStore;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "snapshot", mixinStandardHelpOptions = true, description = {
    "Backs up a member's data into one file, and restores a data directory from it.",
    "Examples:", "  duetctl --endpoints 127.0.0.1:2379 snapshot save backup.duet",
    "  duetctl snapshot restore backup.duet --data-dir /var/lib/duet/n1"})
final class SnapshotCommand {
    /** A snapshot download streams for as long as it takes, within this deadline. */
    private static final long MIN_DOWNLOAD_TIMEOUT_MS = 600_000;
    /** The Raft term a restored snapshot is written with: below every term of the new cluster. */
    static final long RESTORED_TERM = 0;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Command(name = "save", mixinStandardHelpOptions = true, description = {
        "Asks the (single) endpoint for a fresh snapshot and writes it to FILE: its table and sessions at the",
        "applied index, every file checksummed. Shows progress on a terminal."})
    int save(@Parameters(paramLabel = "FILE") final Path file) throws IOException {
        final GlobalOptions global = GlobalOptions.of(spec);
        if (global.endpoints.size() != 1) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                "snapshot save needs exactly one endpoint (--endpoints HOST:PORT): the member to copy");
        }
        final Path parts = file.resolveSibling(file.getFileName() + ".parts");
        deleteTree(parts);
        Files.createDirectories(parts);
        try (DuetClient client = global.client(spec)) {
            final String endpoint = client.endpoints().get(0);
            final Iterator<SnapshotChunk> chunks = MaintenanceGrpc.newBlockingStub(client.channel(endpoint))
                .withDeadlineAfter(Math.max(MIN_DOWNLOAD_TIMEOUT_MS, global.timeout.toMillis()), TimeUnit.MILLISECONDS)
                .snapshotDownload(SnapshotDownloadRequest.getDefaultInstance());
            final Download d = download(chunks, parts);
            SnapshotArchive.write(file, d.index, d.term, d.files);
            global.output(spec, OutputFormat.simple).print(
                Views.map("file", file.toString(), "endpoint", endpoint, "snapshot_index", d.index, "snapshot_term",
                    d.term, "bytes", d.bytes, "files", d.files.stream().map(p -> p.getFileName().toString()).toList()),
                new Output.Table(List.of("FILE", "FROM", "INDEX", "TERM", "SIZE"), List.of(List.of(file.toString(),
                    endpoint, Long.toString(d.index), Long.toString(d.term), Sizes.human(d.bytes)))),
                List.of("Snapshot saved at " + file + " (index " + d.index + ", term " + d.term + ", "
                    + Sizes.human(d.bytes) + ")"));
        } catch (final StatusRuntimeException e) {
            throw new IllegalStateException("snapshot download failed: " + e.getStatus().getCode()
                + (e.getStatus().getDescription() == null ? "" : ": " + e.getStatus().getDescription()), e);
        } finally {
            deleteTree(parts);
        }
        return DuetCtl.EXIT_OK;
    }

    private record Download(long index, long term, List<Path> files, long bytes) {
    }

    private Download download(final Iterator<SnapshotChunk> chunks, final Path dir) throws IOException {
        final List<Path> files = new ArrayList<>();
        final Progress progress = Progress.onTerminal(spec.commandLine().getErr(), "snapshot");
        long index = -1;
        long term = -1;
        long bytes = 0;
        OutputStream current = null;
        String currentName = null;
        CRC32C crc = new CRC32C();
        try {
            while (chunks.hasNext()) {
                final SnapshotChunk c = chunks.next();
                if (index < 0) {
                    index = c.getSnapshotIndex();
                    term = c.getSnapshotTerm();
                    progress.total(c.getTotalBytes());
                }
                if (!c.getFileName().equals(currentName)) {
                    if (current != null || c.getOffset() != 0 || c.getFileName().contains("/")) {
                        throw new IOException("the snapshot stream is out of order at " + c.getFileName() + " offset "
                            + c.getOffset());
                    }
                    currentName = c.getFileName();
                    final Path f = dir.resolve(currentName);
                    files.add(f);
                    current = Files.newOutputStream(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                    crc = new CRC32C();
                }
                c.getData().writeTo(current);
                crc.update(c.getData().asReadOnlyByteBuffer());
                bytes += c.getData().size();
                progress.advanceTo(bytes);
                if (c.getLastInFile()) {
                    current.close();
                    current = null;
                    if ((int) crc.getValue() != c.getFileCrc32C()) {
                        throw new IOException("snapshot file " + currentName + " arrived damaged (checksum mismatch)");
                    }
                    currentName = null;
                }
            }
        } finally {
            if (current != null) {
                current.close();
            }
            progress.done();
        }
        if (currentName != null || files.isEmpty()) {
            throw new IOException("the snapshot stream ended early" + (currentName == null ? "" : " in " + currentName));
        }
        return new Download(index, term, files, bytes);
    }

    @Command(name = "restore", mixinStandardHelpOptions = true, description = {
        "Offline: writes a member's data directory from a snapshot file, after verifying every checksum.",
        "Start each member of the new cluster on its own restored directory (the same FILE for all),",
        "with the new cluster's --members. The directory must not exist or be empty."})
    int restore(@Parameters(paramLabel = "FILE") final Path file,
                @Option(names = "--data-dir", required = true, paramLabel = "DIR") final Path dataDir) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "no snapshot file at " + file);
        }
        if (Files.exists(dataDir) && (!Files.isDirectory(dataDir) || !isEmpty(dataDir))) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--data-dir " + dataDir + " exists and is "
                + "not an empty directory: restore only into a new directory");
        }
        final Path incoming = dataDir.resolve("snapshot-restore");
        Files.createDirectories(incoming);
        final SnapshotArchive.Contents contents;
        final SnapshotStore.Loaded loaded;
        try {
            contents = SnapshotArchive.extract(file, incoming);
            loaded = new SnapshotStore(incoming, dataDir.resolve("snapshot-tmp")).loadLatest()
                .orElseThrow(() -> new IOException(file + " holds no checkpoint"));
            // The restored directory starts a new cluster whose Raft terms begin again at 1: a
            // snapshot keeping the old cluster's term would sit above the new log's first entry,
            // and Raft's applied (term, index) must never go backwards. The index is kept.
            new SnapshotStore(dataDir.resolve("snapshot"), dataDir.resolve("snapshot-tmp"))
                .write(loaded.table(), loaded.sessions(), loaded.index(), RESTORED_TERM);
            deleteTree(incoming);
            io.duetdb.storage.io.DirectorySync.sync(dataDir.resolve("snapshot"));
            io.duetdb.storage.io.DirectorySync.sync(dataDir);
        } catch (final IOException | RuntimeException e) {
            deleteTree(dataDir);
            throw e;
        }
        final String digest = Long.toHexString(loaded.table().digest());
        GlobalOptions.of(spec).output(spec, OutputFormat.simple).print(
            Views.map("data_dir", dataDir.toString(), "snapshot_index", loaded.index(), "snapshot_term", loaded.term(),
                "restored_term", RESTORED_TERM,
                "keys", loaded.table().size(), "digest", digest, "bytes", contents.totalBytes()),
            new Output.Table(List.of("DATA DIR", "INDEX", "TERM", "KEYS", "DIGEST"), List.of(List.of(dataDir.toString(),
                Long.toString(loaded.index()), Long.toString(loaded.term()), Long.toString(loaded.table().size()),
                digest))),
            List.of("Restored " + loaded.table().size() + " keys (index " + loaded.index() + ", digest " + digest
                + ") into " + dataDir));
        return DuetCtl.EXIT_OK;
    }

    private static boolean isEmpty(final Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }

    static void deleteTree(final Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (final Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
