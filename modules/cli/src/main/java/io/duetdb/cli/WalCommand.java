package io.duetdb.cli;

import io.duetdb.server.replication.SnapshotStore;
import io.duetdb.storage.StoreOptions;
import io.duetdb.storage.wal.ScanReport;
import io.duetdb.storage.wal.WalKind;
import io.duetdb.storage.wal.WalScanner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "wal", mixinStandardHelpOptions = true, description = {
    "Offline tools for a stopped member's logs. DIR is a data directory (with intent/ and completion/)",
    "or one log directory. Nothing is changed on disk."})
final class WalCommand {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Lists each log's segments: sequence, index range, records, size; and any damage found.")
    int inspect(@Parameters(paramLabel = "DIR") final Path dir) throws IOException {
        final List<Object> json = new ArrayList<>();
        final List<List<String>> rows = new ArrayList<>();
        for (final Map.Entry<WalKind, ScanReport> e : scan(dir).entrySet()) {
            final ScanReport r = e.getValue();
            final List<Object> segments = new ArrayList<>();
            for (final ScanReport.SegmentSummary s : r.segments()) {
                segments.add(Views.map("file", s.path().toString(), "sequence", s.sequence(), "first_index",
                    s.firstIndex(), "records", s.records(), "min_index", s.minIndex(), "max_index", s.maxIndex(),
                    "size_bytes", s.sizeBytes()));
                rows.add(List.of(e.getKey().dirName(), s.path().getFileName().toString(), Long.toString(s.sequence()),
                    s.records() == 0 ? "-" : s.minIndex() + ".." + s.maxIndex(), Long.toString(s.records()),
                    Sizes.human(s.sizeBytes())));
            }
            json.add(Views.map("log", e.getKey().dirName(), "segments", segments, "records", r.validRecords(),
                "first_index", r.firstIndex(), "last_index", r.lastIndex(), "torn_tail",
                r.tornTail() == null ? null : r.tornTail().toString(), "corruptions",
                r.corruptions().stream().map(WalCommand::corruption).toList()));
        }
        GlobalOptions.of(spec).output(spec, OutputFormat.table).print(json,
            new Output.Table(List.of("LOG", "SEGMENT", "SEQUENCE", "INDEXES", "RECORDS", "SIZE"), rows));
        return DuetCtl.EXIT_OK;
    }

    @Command(name = "verify", mixinStandardHelpOptions = true, description = {
        "Checks every record checksum of each log, and the newest snapshot's (checkpoint and sessions).",
        "Prints each damage with its file, offset and index. Exit code 1 if anything is damaged.",
        "(A torn tail, the half-written last record of a crash, is reported but is not damage.)"})
    int verify(@Parameters(paramLabel = "DIR") final Path dir) throws IOException {
        final List<Object> json = new ArrayList<>();
        final List<List<String>> rows = new ArrayList<>();
        final List<String> lines = new ArrayList<>();
        boolean ok = true;
        for (final Map.Entry<WalKind, ScanReport> e : scan(dir).entrySet()) {
            final ScanReport r = e.getValue();
            final String log = e.getKey().dirName();
            ok &= r.clean();
            json.add(Views.map("log", log, "ok", r.clean(), "records", r.validRecords(), "first_index", r.firstIndex(),
                "last_index", r.lastIndex(), "corruptions", r.corruptions().stream().map(WalCommand::corruption).toList(),
                "torn_tail", r.tornTail() == null ? null : r.tornTail().toString()));
            for (final ScanReport.Corruption c : r.corruptions()) {
                rows.add(List.of(log, "DAMAGED", c.file().toString(), Long.toString(c.offset()),
                    c.index() >= 0 ? Long.toString(c.index()) : "after " + c.indexAfter(), c.reason()));
                lines.add(log + ": DAMAGED: " + c);
            }
            if (r.tornTail() != null) {
                rows.add(List.of(log, "torn tail", r.tornTail().file().toString(), Long.toString(r.tornTail().offset()),
                    "after " + r.tornTail().indexAfter(), "a crash cut the last write; recovery drops it"));
                lines.add(log + ": torn tail (not damage): " + r.tornTail());
            }
            if (r.clean()) {
                rows.add(List.of(log, "ok", dir.resolve(log).toString(), "", r.validRecords() == 0 ? "-"
                    : r.firstIndex() + ".." + r.lastIndex(), r.validRecords() + " records verified"));
                lines.add(log + ": ok, " + r.validRecords() + " records verified");
            }
        }
        final Path snapshots = dir.resolve("snapshot");
        if (Files.isDirectory(snapshots)) {
            String problem = null;
            String detail;
            try {
                detail = new SnapshotStore(snapshots, dir.resolve("snapshot-tmp")).loadLatest()
                    .map(l -> "index " + l.index() + ", " + l.table().size() + " keys").orElse("no snapshot yet");
            } catch (final IOException e) {
                problem = e.getMessage();
                detail = problem;
            }
            ok &= problem == null;
            json.add(Views.map("log", "snapshot", "ok", problem == null, "detail", detail));
            rows.add(List.of("snapshot", problem == null ? "ok" : "DAMAGED", snapshots.toString(), "", "", detail));
            lines.add("snapshot: " + (problem == null ? "ok, " : "DAMAGED: ") + detail);
        }
        GlobalOptions.of(spec).output(spec, OutputFormat.table).print(Views.map("ok", ok, "checks", json),
            new Output.Table(List.of("LOG", "RESULT", "FILE", "OFFSET", "INDEX", "DETAIL"), rows), lines);
        return ok ? DuetCtl.EXIT_OK : DuetCtl.EXIT_ERROR;
    }

    private static Map<String, Object> corruption(final ScanReport.Corruption c) {
        return Views.map("file", c.file().toString(), "offset", c.offset(), "length_bytes", c.lengthBytes(),
            "index", c.index(), "index_after", c.indexAfter(), "reason", c.reason());
    }

    /** The logs under {@code dir}: both of a data directory, or the one log directory given. */
    private Map<WalKind, ScanReport> scan(final Path dir) throws IOException {
        final Map<WalKind, ScanReport> out = new LinkedHashMap<>();
        final StoreOptions defaults = StoreOptions.defaults();
        for (final WalKind kind : WalKind.values()) {
            final int maxBody = kind == WalKind.INTENT ? defaults.intentWal().maxBodyBytes()
                : defaults.completionWal().maxBodyBytes();
            if (Files.isDirectory(dir.resolve(kind.dirName()))) {
                out.put(kind, WalScanner.scan(dir.resolve(kind.dirName()), kind, maxBody, null));
            } else if (dir.getFileName() != null && dir.getFileName().toString().equals(kind.dirName())
                && Files.isDirectory(dir)) {
                out.put(kind, WalScanner.scan(dir, kind, maxBody, null));
            }
        }
        if (out.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), dir + " is neither a data directory (with "
                + "intent/ and completion/) nor a log directory (intent or completion)");
        }
        return out;
    }
}
