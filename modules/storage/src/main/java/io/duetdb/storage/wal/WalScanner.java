package io.duetdb.storage.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads every segment of a log, verifies every checksum and classifies what it finds. The rules,
 * for a position p in a segment (also in docs/recovery.md):
 *
 * <ol>
 *   <li>header and body verify, record fits the log's order: a valid record;</li>
 *   <li>an all-zero header: the end of the segment's data, unless a valid record follows later in
 *       the segment, in which case the zeros are corruption (a zeroed block);</li>
 *   <li>a record that fails a checksum with a valid record after it, in this or a later segment:
 *       corruption, reported with file, offset and index, then skipped;</li>
 *   <li>a record that fails a checksum with nothing valid after it (the tail): torn if part of it
 *       that should hold data is an all-zero 512-byte sector (a write that did not finish), and
 *       cut; otherwise corruption (a bit flip in a fully written record, which may have been
 *       acknowledged), reported and never cut.</li>
 * </ol>
 */
public final class WalScanner {
    static final int SECTOR_BYTES = 512;

    /** Receives each valid record in log order. The body buffer is only valid during the call. */
    public interface Visitor {
        void record(Path file, int offset, RecordType type, int flags, long term, long index, ByteBuffer body,
                    int recordLength);
    }

    private final WalKind kind;
    private final int maxBodyBytes;
    private final List<ScanReport.Corruption> corruptions = new ArrayList<>();
    private final List<ScanReport.SegmentSummary> summaries = new ArrayList<>();
    private ScanReport.TornTail tornTail;
    private long lastIndex = -1;
    private long firstIndex = -1;
    private long validRecords;

    private WalScanner(final WalKind kind, final int maxBodyBytes) {
        this.kind = kind;
        this.maxBodyBytes = maxBodyBytes;
    }

    /** The segment files of a log directory, in sequence order. */
    public static List<Path> segmentFiles(final Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> SegmentDescriptor.sequenceOf(p.getFileName().toString()) > 0)
                .sorted(Comparator.comparingLong(p -> SegmentDescriptor.sequenceOf(p.getFileName().toString())))
                .toList();
        }
    }

    /**
     * Scans a log directory, read-only (what {@code duetctl wal verify} runs).
     *
     * @param visitor receives every valid record; may be null
     */
    public static ScanReport scan(final Path dir, final WalKind kind, final int maxBodyBytes, final Visitor visitor)
        throws IOException {
        return scan(dir, kind, maxBodyBytes, null, visitor);
    }

    /**
     * Scans a log directory. Read-only: cutting a torn tail is the caller's decision.
     *
     * @param segmentOpener opens each verified segment for the log being recovered (null for none)
     */
    static ScanReport scan(final Path dir, final WalKind kind, final int maxBodyBytes,
                           final SegmentOpener segmentOpener, final Visitor visitor) throws IOException {
        final WalScanner scanner = new WalScanner(kind, maxBodyBytes);
        final List<Path> files = segmentFiles(dir);
        long previousSequence = 0;
        for (int i = 0; i < files.size(); i++) {
            previousSequence = scanner.scanSegment(files.get(i), previousSequence, i == files.size() - 1,
                segmentOpener, visitor);
        }
        return new ScanReport(kind, List.copyOf(scanner.summaries), List.copyOf(scanner.corruptions),
            scanner.tornTail, scanner.validRecords, scanner.firstIndex, scanner.lastIndex);
    }

    /** Opens a scanned segment for the caller (the WAL opens it on its I/O backend). */
    interface SegmentOpener {
        Segment open(Path file, SegmentDescriptor.Header header) throws IOException;
    }

    private long scanSegment(final Path file, final long previousSequence, final boolean lastSegment,
                             final SegmentOpener opener, final Visitor visitor) throws IOException {
        final ByteBuffer data = map(file);
        final String[] problem = new String[1];
        final SegmentDescriptor.Header header = SegmentDescriptor.decode(data, problem);
        final long sequence = SegmentDescriptor.sequenceOf(file.getFileName().toString());
        if (header == null || header.kind() != kind || header.sequence() != sequence
            || header.sizeBytes() < data.limit()) {
            final String why = header == null ? problem[0]
                : header.kind() != kind ? "segment belongs to the " + header.kind().dirName() + " log"
                : header.sequence() != sequence ? "header sequence " + header.sequence() + " does not match the name"
                : "file is " + data.limit() + " bytes but its header says " + header.sizeBytes();
            corruptions.add(new ScanReport.Corruption(file, 0, data.limit(), -1, lastIndex,
                "unusable segment: " + why));
            summaries.add(new ScanReport.SegmentSummary(file, sequence, -1, -1, data.limit(), 0, -1, -1, -1));
            return sequence;
        }
        if (previousSequence > 0 && sequence != previousSequence + 1) {
            corruptions.add(new ScanReport.Corruption(file, 0, -1, -1, lastIndex, "segments with sequence "
                + (previousSequence + 1) + ".." + (sequence - 1) + " are missing"));
        }
        if (lastIndex >= 0 && header.previousLastIndex() > lastIndex) {
            corruptions.add(new ScanReport.Corruption(file, 0, -1, -1, lastIndex, "records with indexes "
                + (lastIndex + 1) + ".." + header.previousLastIndex() + " were written before this segment "
                + "but are missing"));
        }
        final boolean shortFile = data.limit() < header.sizeBytes();
        final Segment segment = opener == null ? null : opener.open(file, header);
        final int size = data.limit();
        final boolean tailRulesApply = lastSegment && !shortFile;
        int p = SegmentDescriptor.HEADER_LENGTH;
        long records = 0;
        long minIndex = -1;
        long maxIndex = -1;
        long appendOffset = -1;
        while (true) {
            if (p + RecordDescriptor.HEADER_LENGTH > size) {
                appendOffset = p;
                break;
            }
            if (allZero(data, p, RecordDescriptor.HEADER_LENGTH)) {
                final int next = nextValid(data, p + RecordDescriptor.ALIGNMENT);
                if (next < 0) {
                    appendOffset = p;
                    break;
                }
                corruptions.add(new ScanReport.Corruption(file, p, next - p, -1, lastIndex,
                    "zeroed bytes between valid records"));
                p = next;
                continue;
            }
            final int bodyLength = RecordDescriptor.bodyLength(data, p);
            final boolean headerOk = RecordDescriptor.headerValid(data, p) && bodyLength >= 0
                && bodyLength <= maxBodyBytes && (long) p + RecordDescriptor.recordLength(bodyLength) <= size;
            if (!headerOk) {
                final int next = nextValid(data, p + RecordDescriptor.ALIGNMENT);
                final boolean tail = next < 0 && tailRulesApply;
                if (tail && headerTorn(data, p)) {
                    tornTail = new ScanReport.TornTail(file, p, lastNonZero(data, p) - p + 1, lastIndex);
                    appendOffset = p;
                    break;
                }
                final int end = next >= 0 ? next : size;
                corruptions.add(new ScanReport.Corruption(file, p, next >= 0 ? next - p : -1, -1, lastIndex,
                    "record header checksum mismatch" + (tail ? " in the last record" : "")));
                if (next < 0) {
                    break; // nothing valid follows in this segment: appends must go to a new one
                }
                p = end;
                continue;
            }
            final int recordLength = RecordDescriptor.recordLength(bodyLength);
            final long index = RecordDescriptor.index(data, p);
            final int bodyStart = p + RecordDescriptor.HEADER_LENGTH;
            if (RecordDescriptor.bodyCrc(data, bodyStart, bodyLength) != RecordDescriptor.storedBodyCrc(data, p)) {
                final boolean tail = tailRulesApply && nextValid(data, p + recordLength) < 0;
                if (tail && bodyTorn(data, p, recordLength)) {
                    tornTail = new ScanReport.TornTail(file, p, lastNonZero(data, p) - p + 1, lastIndex);
                    appendOffset = p;
                    break;
                }
                corruptions.add(new ScanReport.Corruption(file, p, recordLength, index, lastIndex,
                    "record body checksum mismatch" + (tail ? " in the fully written last record" : "")));
                p += recordLength;
                continue;
            }
            final int paddingStart = bodyStart + bodyLength;
            final String orderProblem = !allZero(data, paddingStart, p + recordLength - paddingStart)
                ? "nonzero padding after the record body" : orderProblem(data, p, index);
            if (orderProblem != null) {
                corruptions.add(new ScanReport.Corruption(file, p, recordLength, index, lastIndex, orderProblem));
                p += recordLength;
                continue;
            }
            final RecordType type = RecordDescriptor.type(data, p);
            final ByteBuffer body = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
            body.limit(bodyStart + bodyLength).position(bodyStart);
            if (visitor != null) {
                visitor.record(file, p, type, RecordDescriptor.flags(data, p), RecordDescriptor.term(data, p),
                    index, body.slice().order(ByteOrder.LITTLE_ENDIAN), recordLength);
            }
            if (type == RecordType.TRUNCATE) {
                lastIndex = index;
            } else if (isRepair(data, p)) {
                records++;
                validRecords++;
            } else {
                lastIndex = index;
                firstIndex = firstIndex < 0 ? index : firstIndex;
                minIndex = minIndex < 0 ? index : minIndex;
                maxIndex = index;
                records++;
                validRecords++;
            }
            p += recordLength;
        }
        if (shortFile) {
            // Segments are preallocated and never shortened: a short file lost its end.
            corruptions.add(new ScanReport.Corruption(file, size, header.sizeBytes() - size, -1, lastIndex,
                "segment file truncated to " + size + " bytes; it was created with " + header.sizeBytes()
                    + " (records after the cut are lost)"));
            appendOffset = -1; // never append into a damaged file
        }
        if (segment != null) {
            segment.appendOffset = appendOffset < 0 ? segment.sizeBytes : appendOffset;
            segment.lastIndex = Math.max(maxIndex, header.firstIndex() - 1);
        }
        summaries.add(new ScanReport.SegmentSummary(file, sequence, header.firstIndex(), header.previousLastIndex(),
            size, records, minIndex, maxIndex, appendOffset));
        return sequence;
    }

    /** Null when the verified record at p may follow what came before it, else why not. */
    private String orderProblem(final ByteBuffer data, final int p, final long index) {
        final RecordType type = RecordDescriptor.type(data, p);
        if (type == null || !kind.allows(type)) {
            return "record type " + (data.get(p + RecordDescriptor.TYPE_OFFSET) & 0xFF) + " does not belong in the "
                + kind.dirName() + " log";
        }
        if (RecordDescriptor.version(data, p) != RecordDescriptor.FORMAT_VERSION) {
            return "unsupported record format version " + RecordDescriptor.version(data, p);
        }
        if (index < 0) {
            return "negative index " + index;
        }
        if (type == RecordType.TRUNCATE) {
            return index > lastIndex && lastIndex >= 0 ? "truncation to " + index + " above the last index " + lastIndex
                : null;
        }
        if (isRepair(data, p)) {
            return index > lastIndex ? "repair of index " + index + " above the last index " + lastIndex : null;
        }
        return index <= lastIndex ? "index " + index + " does not follow index " + lastIndex : null;
    }

    private static boolean isRepair(final ByteBuffer data, final int p) {
        return RecordDescriptor.type(data, p) == RecordType.INTENT
            && (RecordDescriptor.flags(data, p) & RecordDescriptor.FLAG_REPAIR) != 0;
    }

    /** First offset at or after {@code from} (8-aligned) that holds a fully valid record, or -1. */
    private int nextValid(final ByteBuffer data, final int from) {
        final int size = data.limit();
        for (int q = from; q + RecordDescriptor.HEADER_LENGTH <= size; q += RecordDescriptor.ALIGNMENT) {
            if (data.getLong(q) == 0 || !RecordDescriptor.headerValid(data, q)) {
                continue;
            }
            final int bodyLength = RecordDescriptor.bodyLength(data, q);
            if (bodyLength < 0 || bodyLength > maxBodyBytes
                || (long) q + RecordDescriptor.recordLength(bodyLength) > size) {
                continue;
            }
            final int bodyStart = q + RecordDescriptor.HEADER_LENGTH;
            if (RecordDescriptor.bodyCrc(data, bodyStart, bodyLength) == RecordDescriptor.storedBodyCrc(data, q)) {
                return q;
            }
        }
        return -1;
    }

    /** A header torn at a sector boundary: the part after the boundary never reached the disk. */
    private static boolean headerTorn(final ByteBuffer data, final int p) {
        final int end = p + RecordDescriptor.HEADER_LENGTH;
        for (int s = (p / SECTOR_BYTES + 1) * SECTOR_BYTES; s < end; s += SECTOR_BYTES) {
            if (allZero(data, s, end - s)) {
                return true;
            }
        }
        return false;
    }

    /** A record with an all-zero sector where its data should be: a write that did not finish. */
    private static boolean bodyTorn(final ByteBuffer data, final int p, final int recordLength) {
        final int end = p + recordLength;
        for (int s = (p / SECTOR_BYTES + 1) * SECTOR_BYTES; s < end; s += SECTOR_BYTES) {
            if (allZero(data, s, Math.min(SECTOR_BYTES, end - s))) {
                return true;
            }
        }
        return false;
    }

    static boolean allZero(final ByteBuffer data, final int from, final int length) {
        int i = from;
        final int end = from + length;
        for (; i + Long.BYTES <= end; i += Long.BYTES) {
            if (data.getLong(i) != 0) {
                return false;
            }
        }
        for (; i < end; i++) {
            if (data.get(i) != 0) {
                return false;
            }
        }
        return true;
    }

    private static int lastNonZero(final ByteBuffer data, final int from) {
        for (int i = data.limit() - 1; i >= from; i--) {
            if (data.get(i) != 0) {
                return i;
            }
        }
        return from - 1;
    }

    private static ByteBuffer map(final Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            final long size = channel.size();
            if (size > SegmentDescriptor.MAX_SEGMENT_SIZE_BYTES) {
                throw new IOException(file + " is " + size + " bytes, over the segment limit of "
                    + SegmentDescriptor.MAX_SEGMENT_SIZE_BYTES);
            }
            final MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
            return mapped.order(ByteOrder.LITTLE_ENDIAN);
        }
    }
}
