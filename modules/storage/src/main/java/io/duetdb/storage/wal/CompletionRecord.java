package io.duetdb.storage.wal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * What applying one batch produced. Fixed size: the body is 24 bytes, the record 56.
 *
 * <pre>
 *   offset  size  field
 *        0     4  status (0 applied; other values are the replication layer's)
 *        4     4  number of ops in the batch
 *        8     4  CRC32C of the canonical encoding of the batch's results
 *       12     4  reserved, zero
 *       16     8  applied at (ms since the epoch)
 * </pre>
 */
public record CompletionRecord(long term, long index, int status, int opCount, int resultChecksum, long appliedAtMs) {
    public static final int BODY_LENGTH = 24;
    public static final int STATUS_APPLIED = 0;

    ByteBuffer encodeBody() {
        final ByteBuffer body = ByteBuffer.allocate(BODY_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        body.putInt(status).putInt(opCount).putInt(resultChecksum).putInt(0).putLong(appliedAtMs).flip();
        return body;
    }

    static CompletionRecord decode(final long term, final long index, final ByteBuffer body) {
        if (body.remaining() != BODY_LENGTH) {
            throw new IllegalStateException("completion " + index + " body is " + body.remaining() + " bytes, expected "
                + BODY_LENGTH);
        }
        final ByteBuffer b = body.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        final int status = b.getInt();
        final int opCount = b.getInt();
        final int checksum = b.getInt();
        b.getInt();
        return new CompletionRecord(term, index, status, opCount, checksum, b.getLong());
    }
}
