package io.duetdb.storage.table;

/** Renders byte strings for messages and {@code toString}: readable text when it is, hex when not. */
final class Printable {
    /** Longer byte strings are cut, so one huge value cannot flood a log line. */
    private static final int MAX_SHOWN_BYTES = 48;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Printable() {
    }

    /** {@code 'abc'} for printable ASCII, {@code 0x00ff} otherwise, {@code null} for null. */
    static String bytes(final byte[] bytes) {
        if (bytes == null) {
            return "null";
        }
        final int shown = Math.min(bytes.length, MAX_SHOWN_BYTES);
        final StringBuilder s = new StringBuilder(shown * 2 + 24);
        if (isPrintableAscii(bytes, shown)) {
            s.append('\'');
            for (int i = 0; i < shown; i++) {
                s.append((char) bytes[i]);
            }
            s.append('\'');
        } else {
            s.append("0x");
            for (int i = 0; i < shown; i++) {
                s.append(HEX[(bytes[i] >> 4) & 0xF]).append(HEX[bytes[i] & 0xF]);
            }
        }
        if (shown < bytes.length) {
            s.append("...(").append(bytes.length).append(" bytes)");
        }
        return s.toString();
    }

    private static boolean isPrintableAscii(final byte[] bytes, final int length) {
        for (int i = 0; i < length; i++) {
            if (bytes[i] < 0x20 || bytes[i] > 0x7e || bytes[i] == '\'') {
                return false;
            }
        }
        return true;
    }
}
