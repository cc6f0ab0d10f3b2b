package io.duetdb.client;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;

/**
 * An immutable byte string: a key, a value or a range bound. Keys are compared as unsigned bytes,
 * the order the server keeps them in. {@link #of(String)} encodes UTF-8.
 */
public final class Bytes implements Comparable<Bytes> {
    /** The empty byte string. */
    public static final Bytes EMPTY = new Bytes(ByteString.EMPTY);

    private final ByteString bytes;

    private Bytes(final ByteString bytes) {
        this.bytes = bytes;
    }

    /** The UTF-8 encoding of {@code text}. */
    public static Bytes of(final String text) {
        if (text == null) {
            throw new IllegalArgumentException("text=null");
        }
        return new Bytes(ByteString.copyFromUtf8(text));
    }

    /** A copy of {@code bytes} (later changes to the array do not show). */
    public static Bytes of(final byte[] bytes) {
        if (bytes == null) {
            throw new IllegalArgumentException("bytes=null");
        }
        return new Bytes(ByteString.copyFrom(bytes));
    }

    static Bytes wrap(final ByteString bytes) {
        return bytes.isEmpty() ? EMPTY : new Bytes(bytes);
    }

    ByteString proto() {
        return bytes;
    }

    public int size() {
        return bytes.size();
    }

    public boolean isEmpty() {
        return bytes.isEmpty();
    }

    /** The byte at {@code index}, as 0..255. */
    public int byteAt(final int index) {
        return bytes.byteAt(index) & 0xff;
    }

    /** A fresh copy of the bytes. */
    public byte[] toByteArray() {
        return bytes.toByteArray();
    }

    /** The bytes decoded as UTF-8 (malformed input becomes U+FFFD). */
    public String toStringUtf8() {
        return bytes.toStringUtf8();
    }

    /** These bytes followed by {@code other}'s. */
    public Bytes concat(final Bytes other) {
        return new Bytes(bytes.concat(other.bytes));
    }

    public boolean startsWith(final Bytes prefix) {
        return bytes.startsWith(prefix.bytes);
    }

    @Override
    public int compareTo(final Bytes other) {
        return ByteString.unsignedLexicographicalComparator().compare(bytes, other.bytes);
    }

    @Override
    public boolean equals(final Object o) {
        return o instanceof Bytes b && bytes.equals(b.bytes);
    }

    @Override
    public int hashCode() {
        return bytes.hashCode();
    }

    /** The text when the bytes are printable UTF-8, else hex: for logs and messages. */
    @Override
    public String toString() {
        if (bytes.isValidUtf8()) {
            final String text = bytes.toStringUtf8();
            if (text.chars().noneMatch(Character::isISOControl)) {
                return text;
            }
        }
        final StringBuilder hex = new StringBuilder("0x");
        for (int i = 0; i < bytes.size(); i++) {
            hex.append(Character.forDigit(byteAt(i) >> 4, 16)).append(Character.forDigit(byteAt(i) & 0xf, 16));
        }
        return hex.toString();
    }

    /**
     * The smallest key after every key that starts with {@code prefix}: the prefix with its last
     * byte below 0xff incremented and what follows dropped. A prefix of only 0xff bytes has no
     * such key; then {0}, which the server reads as "to the end of the keyspace".
     */
    static Bytes prefixEnd(final Bytes prefix) {
        final byte[] end = prefix.toByteArray();
        for (int i = end.length - 1; i >= 0; i--) {
            if ((end[i] & 0xff) != 0xff) {
                end[i]++;
                return new Bytes(ByteString.copyFrom(end, 0, i + 1));
            }
        }
        return RangeQuery.TO_END;
    }
}
