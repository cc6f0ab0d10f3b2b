package io.duetdb.storage.wal;

import java.nio.file.Path;
import java.util.List;

/**
 * What a recovery scan of one log found. Corruption is listed with its exact location; a torn
 * tail is described separately because it is expected after a crash and is cut, not reported as
 * damage.
 *
 * @param kind which log
 * @param segments every segment file, in sequence order
 * @param corruptions damage found anywhere except a torn tail, in file order
 * @param tornTail the partial last record that was (or will be) cut, or null
 * @param validRecords records that verified
 * @param firstIndex lowest index of a valid record, or -1 when none
 * @param lastIndex highest index of a valid record after applying truncations, or -1 when none
 */
public record ScanReport(WalKind kind, List<SegmentSummary> segments, List<Corruption> corruptions, TornTail tornTail,
                         long validRecords, long firstIndex, long lastIndex) {

    /** One segment as scanned. {@code appendOffset} is -1 when new records must not follow its data. */
    public record SegmentSummary(Path path, long sequence, long firstIndex, long previousLastIndex, long sizeBytes,
                                 long records, long minIndex, long maxIndex, long appendOffset) {
    }

    /**
     * Damage at a precise place.
     *
     * @param file the segment file
     * @param offset byte offset of the damage in the file
     * @param lengthBytes how many bytes are affected, or -1 when unknown
     * @param index the record's index when its header could be trusted, else -1
     * @param indexAfter the index of the last valid record before the damage (-1 if none): the
     *     damaged records lie above it
     * @param reason what is wrong, for people
     */
    public record Corruption(Path file, long offset, long lengthBytes, long index, long indexAfter, String reason) {
        @Override
        public String toString() {
            return file + " at offset " + offset + (lengthBytes >= 0 ? " (" + lengthBytes + " bytes)" : "")
                + (index >= 0 ? ", record index " + index : ", index unknown (after index " + indexAfter + ")")
                + ": " + reason;
        }
    }

    /** A partial record at the very end of the log, left by a write a crash interrupted. */
    public record TornTail(Path file, long offset, long lengthBytes, long indexAfter) {
        @Override
        public String toString() {
            return file + " at offset " + offset + " (" + lengthBytes + " bytes after index " + indexAfter + ")";
        }
    }

    /** Whether nothing but a torn tail was found. */
    public boolean clean() {
        return corruptions.isEmpty();
    }
}
