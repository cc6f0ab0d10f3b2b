package io.duetdb.server.replication;

import io.duetdb.storage.table.BatchCodec;
import io.duetdb.storage.table.Op;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The request a node proposes to Raft for a batch of client writes:
 * {@code u32 header length, header (}{@link IntentHeader}{@code ), payload}. The payload is the
 * concatenation of each write's {@link BatchCodec} encoding (one op each), in header order.
 * {@code startTransaction} splits the request into the header (Raft log) and the payload (intent
 * WAL) without copying.
 */
public final class EntryCodec {
    static final int LENGTH_PREFIX_BYTES = Integer.BYTES;

    private EntryCodec() {
    }

    /** One write's payload, encoded once by the thread that submits it. */
    public static byte[] encodePayload(final Op op) {
        return BatchCodec.encode(List.of(op));
    }

    /**
     * The smallest request that is still a write: one empty transaction (no compares, no ops),
     * which applies as a no-op at a new revision. An entry needs a payload: Ratis never hands an
     * entry with empty state-machine data to {@code write()}, yet asks {@code read()} for it when
     * it ships the entry, and no intent log would hold it.
     */
    public static byte[] noOpRequest() {
        final ClientWrite noOp = ClientWrite.of(new Op.Txn(List.of(), List.of(), List.of()));
        return encodeRequest(List.of(noOp), List.of(encodePayload(noOp.op())), 0);
    }

    /**
     * Builds the request for writes whose payloads were encoded with {@link #encodePayload}; applying
     * it enforces {@code spaceQuotaBytes} (0: no quota) on every replica.
     */
    public static byte[] encodeRequest(final List<ClientWrite> writes, final List<byte[]> payloads,
                                       final long spaceQuotaBytes) {
        if (writes.size() != payloads.size()) {
            throw new IllegalArgumentException(writes.size() + " writes but " + payloads.size() + " payloads");
        }
        if (writes.isEmpty()) {
            throw new IllegalArgumentException("a request needs at least one write (see noOpRequest)");
        }
        final CRC32C crc = new CRC32C();
        final List<IntentHeader.WriteInfo> infos = new ArrayList<>(writes.size());
        int payloadLength = 0;
        for (int i = 0; i < writes.size(); i++) {
            final ClientWrite w = writes.get(i);
            final byte[] p = payloads.get(i);
            crc.update(p);
            payloadLength = Math.addExact(payloadLength, p.length);
            infos.add(new IntentHeader.WriteInfo(w.clientIdHigh(), w.clientIdLow(), w.sequence(), p.length,
                IntentHeader.kindOf(w.op()), IntentHeader.keyHashOf(w.op())));
        }
        final IntentHeader header = new IntentHeader(payloadLength, (int) crc.getValue(), spaceQuotaBytes, infos);
        final int headerLength = IntentHeader.encodedLength(infos.size());
        final ByteBuffer out = ByteBuffer.allocate(LENGTH_PREFIX_BYTES + headerLength + payloadLength)
            .order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(headerLength);
        header.encodeTo(out);
        for (final byte[] p : payloads) {
            out.put(p);
        }
        return out.array();
    }

    /** Where the header and the payload are inside a request. */
    public record Split(int headerOffset, int headerLength, int payloadOffset, int payloadLength) {
    }

    /**
     * Locates header and payload in a request.
     *
     * @throws IllegalArgumentException when the lengths do not fit the request
     */
    public static Split split(final ByteBuffer request) {
        final ByteBuffer b = request.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (b.remaining() < LENGTH_PREFIX_BYTES) {
            throw new IllegalArgumentException("a write request of " + b.remaining() + " bytes has no header length");
        }
        final int headerLength = b.getInt(b.position());
        if (headerLength < IntentHeader.MIN_FIXED_BYTES || headerLength > b.remaining() - LENGTH_PREFIX_BYTES) {
            throw new IllegalArgumentException("header length " + headerLength + " does not fit a request of "
                + b.remaining() + " bytes");
        }
        final int payloadLength = b.remaining() - LENGTH_PREFIX_BYTES - headerLength;
        return new Split(LENGTH_PREFIX_BYTES, headerLength, LENGTH_PREFIX_BYTES + headerLength, payloadLength);
    }

    /** The CRC32C of a payload, as the header records it. */
    public static int crc32c(final ByteBuffer payload) {
        final CRC32C crc = new CRC32C();
        crc.update(payload.duplicate());
        return (int) crc.getValue();
    }

    /** Null when {@code payload} is the one {@code header} describes, else what differs. */
    public static String payloadProblem(final IntentHeader header, final ByteBuffer payload) {
        if (payload.remaining() != header.payloadLength()) {
            return "payload is " + payload.remaining() + " bytes, the header says " + header.payloadLength();
        }
        final int crc = crc32c(payload);
        if (crc != header.payloadCrc32c()) {
            return "payload CRC32C 0x" + Integer.toHexString(crc) + " differs from the header's 0x"
                + Integer.toHexString(header.payloadCrc32c());
        }
        return null;
    }

    /**
     * Decodes the writes of a verified payload.
     *
     * @throws IllegalArgumentException when the payload does not match the header or does not decode
     */
    public static List<ClientWrite> decodeWrites(final IntentHeader header, final ByteBuffer payload) {
        final String problem = payloadProblem(header, payload);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        final ByteBuffer b = payload.duplicate();
        final List<ClientWrite> writes = new ArrayList<>(header.writes().size());
        for (final IntentHeader.WriteInfo info : header.writes()) {
            final byte[] one = new byte[info.payloadLength()];
            b.get(one);
            final List<Op> ops = BatchCodec.decode(one);
            if (ops.size() != 1 || IntentHeader.kindOf(ops.get(0)) != info.opKind()) {
                throw new IllegalArgumentException("write " + writes.size() + " decodes to " + ops.size()
                    + " ops, the header says one of kind " + info.opKind());
            }
            writes.add(new ClientWrite(info.clientIdHigh(), info.clientIdLow(), info.sequence(), ops.get(0)));
        }
        return writes;
    }
}
