package io.duetdb.server.recovery;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.thirdparty.com.google.protobuf.InvalidProtocolBufferException;

/**
 * What one Ratis log segment file holds, read without Ratis: Ratis would refuse the whole server at
 * the first bad entry (or, with its lenient policy, cut the file and delete the evidence), while
 * Duet wants to know exactly where the good entries end and keep the rest aside.
 *
 * <p>The format (Ratis 3.3.0, {@code SegmentedRaftLogOutputStream}): the 8-byte header
 * {@code "RaftLog1"}, then entries, each a varint32 length, the {@link LogEntryProto} bytes and a
 * big-endian CRC32C of the varint and the proto; then zero bytes up to the end of the file (an
 * open segment is preallocated with zeros; a closed one is cut to its last entry). A closed
 * segment's name {@code log_<first>-<last>} gives its index range; an open one,
 * {@code log_inprogress_<first>}, ends where its entries end.
 *
 * @param file the segment file
 * @param firstIndex the index its name says it starts at
 * @param nameLastIndex the last index its name says it holds; -1 for an open segment
 * @param lastGoodIndex the index of its last entry that verified, {@code firstIndex - 1} when none did
 * @param lastGoodTerm that entry's term, -1 when none verified
 * @param damage what is wrong with it, if anything
 */
public record RaftSegmentScan(Path file, long firstIndex, long nameLastIndex, long lastGoodIndex, long lastGoodTerm,
                              Optional<Damage> damage) {
    static final byte[] HEADER = "RaftLog1".getBytes(StandardCharsets.US_ASCII);
    /** Larger than any entry Duet writes (its entries carry headers only; the payloads live in the intent log). */
    static final int MAX_ENTRY_BYTES = 64 << 20;
    private static final Pattern CLOSED = Pattern.compile("log_(\\d+)-(\\d+)");
    private static final Pattern OPEN = Pattern.compile("log_inprogress_(\\d+)");

    /**
     * Where a segment stops being trustworthy.
     *
     * @param offset the byte offset in the file
     * @param index the log index expected there
     * @param reason what was found, in words
     */
    public record Damage(long offset, long index, String reason) {
    }

    public boolean open() {
        return nameLastIndex < 0;
    }

    /** Whether a file name is a Ratis log segment's. */
    public static boolean isSegmentName(final String name) {
        return CLOSED.matcher(name).matches() || OPEN.matcher(name).matches();
    }

    /** Reads and checks one segment file. */
    public static RaftSegmentScan scan(final Path file) throws IOException {
        final String name = file.getFileName().toString();
        final Matcher closed = CLOSED.matcher(name);
        final Matcher open = OPEN.matcher(name);
        final long first;
        final long nameLast;
        if (closed.matches()) {
            first = Long.parseLong(closed.group(1));
            nameLast = Long.parseLong(closed.group(2));
            if (nameLast < first) {
                throw new IllegalArgumentException(file + ": a segment cannot end before it starts");
            }
        } else if (open.matches()) {
            first = Long.parseLong(open.group(1));
            nameLast = -1;
        } else {
            throw new IllegalArgumentException(file + " is not named as a Ratis log segment");
        }
        return scan(file, first, nameLast, Files.readAllBytes(file));
    }

    static RaftSegmentScan scan(final Path file, final long first, final long nameLast, final byte[] bytes) {
        final ByteBuffer in = ByteBuffer.wrap(bytes);
        if (bytes.length < HEADER.length || !Arrays.equals(bytes, 0, HEADER.length, HEADER, 0, HEADER.length)) {
            final boolean emptyOpen = nameLast < 0 && allZero(bytes, 0);
            return emptyOpen ? new RaftSegmentScan(file, first, nameLast, first - 1, -1, Optional.empty())
                : result(file, first, nameLast, first - 1, -1, new Damage(0, first, bytes.length < HEADER.length
                    ? "the file is " + bytes.length + " bytes, shorter than the segment header"
                    : "the header is not \"RaftLog1\""));
        }
        in.position(HEADER.length);
        long expected = first;
        long lastTerm = -1;
        while (in.hasRemaining()) {
            final int at = in.position();
            if (bytes[at] == 0) {
                return allZero(bytes, at)
                    ? result(file, first, nameLast, expected - 1, lastTerm, null)
                    : result(file, first, nameLast, expected - 1, lastTerm, new Damage(at, expected,
                        "non-zero bytes after the zero padding that ends the entries"));
            }
            final long length = readVarint32(in);
            if (length < 0) {
                return result(file, first, nameLast, expected - 1, lastTerm,
                    new Damage(at, expected, "the entry's length is cut short at the end of the file"));
            }
            if (length > MAX_ENTRY_BYTES) {
                return result(file, first, nameLast, expected - 1, lastTerm,
                    new Damage(at, expected, "an entry length of " + length + " bytes (the limit is " + MAX_ENTRY_BYTES + ")"));
            }
            final int protoStart = in.position();
            if (in.remaining() < length + Integer.BYTES) {
                return result(file, first, nameLast, expected - 1, lastTerm, new Damage(at, expected, "the entry is cut short: "
                    + (length + Integer.BYTES) + " bytes announced, " + in.remaining() + " left in the file"));
            }
            final CRC32C crc = new CRC32C();
            crc.update(bytes, at, protoStart - at + (int) length);
            final int stored = in.getInt(protoStart + (int) length);
            if (stored != (int) crc.getValue()) {
                return result(file, first, nameLast, expected - 1, lastTerm, new Damage(at, expected,
                    String.format("checksum mismatch (stored %08x, computed %08x)", stored, (int) crc.getValue())));
            }
            final LogEntryProto entry;
            try {
                entry = LogEntryProto.parseFrom(ByteBuffer.wrap(bytes, protoStart, (int) length));
            } catch (final InvalidProtocolBufferException e) {
                return result(file, first, nameLast, expected - 1, lastTerm,
                    new Damage(at, expected, "the entry verifies but does not parse: " + e.getMessage()));
            }
            if (entry.getIndex() != expected) {
                return result(file, first, nameLast, expected - 1, lastTerm,
                    new Damage(at, expected, "the entry holds index " + entry.getIndex() + ", expected " + expected));
            }
            lastTerm = entry.getTerm();
            expected++;
            in.position(protoStart + (int) length + Integer.BYTES);
        }
        return result(file, first, nameLast, expected - 1, lastTerm, null);
    }

    private static RaftSegmentScan result(final Path file, final long first, final long nameLast, final long lastGood,
                                          final long lastTerm, final Damage damage) {
        Damage d = damage;
        if (d == null && nameLast >= 0 && lastGood != nameLast) {
            d = new Damage(-1, lastGood + 1, "the entries end at index " + lastGood + ", the file name says " + nameLast);
        }
        return new RaftSegmentScan(file, first, nameLast, lastGood, lastTerm, Optional.ofNullable(d));
    }

    private static boolean allZero(final byte[] bytes, final int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** An unsigned varint32, or -1 when the file ends inside it. */
    private static long readVarint32(final ByteBuffer in) {
        long value = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            if (!in.hasRemaining()) {
                return -1;
            }
            final byte b = in.get();
            value |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return value & 0xffffffffL;
            }
        }
        return Long.MAX_VALUE; // more than five bytes: not a varint32; reported as an oversized length
    }
}
