package io.duetdb.server.recovery;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.proto.RaftProtos.MetadataProto;
import org.apache.ratis.thirdparty.com.google.protobuf.CodedOutputStream;

/** Writes Ratis log segment files in Ratis's format, for the scanner's tests. */
final class RaftSegmentFiles {
    private RaftSegmentFiles() {
    }

    /** The bytes of a segment holding entries first..last, all in {@code term}, then {@code paddingBytes} zeros. */
    static byte[] segment(final long first, final long last, final long term, final int paddingBytes) throws IOException {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(RaftSegmentScan.HEADER);
        for (long i = first; i <= last; i++) {
            out.write(entry(i, term));
        }
        out.write(new byte[paddingBytes]);
        return out.toByteArray();
    }

    static byte[] entry(final long index, final long term) throws IOException {
        final LogEntryProto entry = LogEntryProto.newBuilder().setTerm(term).setIndex(index)
            .setMetadataEntry(MetadataProto.newBuilder().setCommitIndex(index)).build();
        final int size = entry.getSerializedSize();
        final int varint = CodedOutputStream.computeUInt32SizeNoTag(size);
        final byte[] bytes = new byte[varint + size + Integer.BYTES];
        final CodedOutputStream encoder = CodedOutputStream.newInstance(bytes, 0, varint + size);
        encoder.writeUInt32NoTag(size);
        entry.writeTo(encoder);
        final CRC32C crc = new CRC32C();
        crc.update(bytes, 0, varint + size);
        ByteBuffer.wrap(bytes).putInt(varint + size, (int) crc.getValue());
        return bytes;
    }

    static Path closed(final Path dir, final long first, final long last, final long term) throws IOException {
        return Files.write(dir.resolve("log_" + first + "-" + last), segment(first, last, term, 0));
    }

    static Path open(final Path dir, final long first, final long last, final long term) throws IOException {
        return Files.write(dir.resolve("log_inprogress_" + first), segment(first, last, term, 4096));
    }
}
