package io.duetdb.server.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duetdb.storage.table.Compare;
import io.duetdb.storage.table.Op;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EntryCodecTest {
    private static byte[] b(final String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<ClientWrite> writes() {
        return List.of(
            new ClientWrite(1, 2, 3, new Op.Put(b("k1"), b("v1"), false)),
            ClientWrite.of(new Op.DeleteRange(b("a"), b("b"), true)),
            new ClientWrite(1, 2, 4, new Op.Txn(List.of(Compare.value(b("k1"), Compare.Result.EQUAL, b("v1"))),
                List.of(new Op.Put(b("k2"), b("v2"), true)), List.of())));
    }

    private static byte[] request(final List<ClientWrite> writes) {
        final List<byte[]> payloads = new ArrayList<>();
        for (final ClientWrite w : writes) {
            payloads.add(EntryCodec.encodePayload(w.op()));
        }
        return EntryCodec.encodeRequest(writes, payloads, 0);
    }

    @Test
    void aRequestSplitsIntoHeaderAndPayloadAndDecodesBack() {
        final byte[] request = request(writes());
        final EntryCodec.Split split = EntryCodec.split(ByteBuffer.wrap(request));
        final IntentHeader header = IntentHeader.decode(
            ByteBuffer.wrap(request, split.headerOffset(), split.headerLength()).slice());
        assertEquals(3, header.writes().size());
        assertEquals(IntentHeader.encodedLength(3), split.headerLength());
        assertEquals(split.payloadLength(), header.payloadLength());
        final ByteBuffer payload = ByteBuffer.wrap(request, split.payloadOffset(), split.payloadLength()).slice();
        assertEquals(writes(), EntryCodec.decodeWrites(header, payload));
        assertEquals(3, header.writes().get(0).sequence());
        assertEquals(3, header.writes().get(2).opKind());
    }

    @Test
    void theHeaderCarriesTheQuotaAndAFormatOneHeaderStillDecodesWithNone() {
        final List<byte[]> payloads = new ArrayList<>();
        for (final ClientWrite w : writes()) {
            payloads.add(EntryCodec.encodePayload(w.op()));
        }
        final byte[] request = EntryCodec.encodeRequest(writes(), payloads, 123_456_789L);
        final EntryCodec.Split split = EntryCodec.split(ByteBuffer.wrap(request));
        final IntentHeader header = IntentHeader.decode(
            ByteBuffer.wrap(request, split.headerOffset(), split.headerLength()).slice());
        assertEquals(123_456_789L, header.spaceQuotaBytes());
        // Format 1, as logs written before the quota hold it: no quota field after the CRC.
        final byte[] v2 = header.encode();
        final ByteBuffer v1 = ByteBuffer.allocate(v2.length - Long.BYTES).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        v1.put(v2, 0, IntentHeader.MIN_FIXED_BYTES).put(v2, IntentHeader.FIXED_BYTES, v2.length - IntentHeader.FIXED_BYTES);
        v1.put(0, (byte) 1).flip();
        final IntentHeader old = IntentHeader.decode(v1);
        assertEquals(0, old.spaceQuotaBytes(), "no quota");
        assertEquals(header.writes(), old.writes());
        assertEquals(header.payloadCrc32c(), old.payloadCrc32c());
        v1.put(0, (byte) 3);
        assertThrows(IllegalArgumentException.class, () -> IntentHeader.decode(v1), "an unknown format");
    }

    @Test
    void theNoOpRequestCarriesAPayloadAndARequestWithoutWritesIsRefused() {
        final byte[] request = EntryCodec.noOpRequest();
        final EntryCodec.Split split = EntryCodec.split(ByteBuffer.wrap(request));
        assertTrue(split.payloadLength() > 0, "Ratis never writes an empty payload to the intent log");
        final IntentHeader header = IntentHeader.decode(
            ByteBuffer.wrap(request, split.headerOffset(), split.headerLength()).slice());
        final ByteBuffer payload = ByteBuffer.wrap(request, split.payloadOffset(), split.payloadLength()).slice();
        assertEquals(List.of(ClientWrite.of(new Op.Txn(List.of(), List.of(), List.of()))),
            EntryCodec.decodeWrites(header, payload));
        assertThrows(IllegalArgumentException.class, () -> EntryCodec.encodeRequest(List.of(), List.of(), 0));
    }

    @Test
    void everyPayloadBitFlipIsCaughtByTheHeaderChecksum() {
        final byte[] request = request(writes());
        final EntryCodec.Split split = EntryCodec.split(ByteBuffer.wrap(request));
        final IntentHeader header = IntentHeader.decode(
            ByteBuffer.wrap(request, split.headerOffset(), split.headerLength()).slice());
        for (int bit = 0; bit < split.payloadLength() * 8; bit++) {
            final byte[] copy = request.clone();
            copy[split.payloadOffset() + bit / 8] ^= (byte) (1 << (bit % 8));
            final ByteBuffer payload = ByteBuffer.wrap(copy, split.payloadOffset(), split.payloadLength()).slice();
            assertNotNull(EntryCodec.payloadProblem(header, payload), "bit " + bit);
        }
        assertNull(EntryCodec.payloadProblem(header,
            ByteBuffer.wrap(request, split.payloadOffset(), split.payloadLength()).slice()));
    }

    @Test
    void malformedHeadersAndRequestsAreRejectedWithAReason() {
        final byte[] request = request(writes());
        final EntryCodec.Split split = EntryCodec.split(ByteBuffer.wrap(request));
        final byte[] header = java.util.Arrays.copyOfRange(request, split.headerOffset(),
            split.headerOffset() + split.headerLength());
        header[0] = 9; // format
        assertThrows(IllegalArgumentException.class, () -> IntentHeader.decode(ByteBuffer.wrap(header)));
        assertThrows(IllegalArgumentException.class, () -> IntentHeader.decode(ByteBuffer.wrap(new byte[5])));
        assertThrows(IllegalArgumentException.class,
            () -> IntentHeader.decode(ByteBuffer.wrap(header, 0, header.length - 1).slice()));
        assertThrows(IllegalArgumentException.class, () -> EntryCodec.split(ByteBuffer.wrap(new byte[] {1, 2})));
        final byte[] lying = request.clone();
        lying[0] = (byte) 0xFF; // header length far beyond the request
        assertThrows(IllegalArgumentException.class, () -> EntryCodec.split(ByteBuffer.wrap(lying)));
    }

    @Test
    void aWriteIdIsWholeOrAbsent() {
        final Op put = new Op.Put(b("k"), b("v"), false);
        assertThrows(IllegalArgumentException.class, () -> new ClientWrite(0, 0, 5, put));
        assertThrows(IllegalArgumentException.class, () -> new ClientWrite(1, 1, 0, put));
        assertThrows(IllegalArgumentException.class, () -> new ClientWrite(1, 1, -1, put));
        assertThrows(IllegalArgumentException.class,
            () -> ClientWrite.of(new Op.Range(b("k"), null, 0, false, false)));
    }
}
