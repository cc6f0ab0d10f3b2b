package io.duetdb.storage.table;

import java.nio.charset.StandardCharsets;

/** Test shorthand for UTF-8 bytes. */
final class Bytes {
    private Bytes() {
    }

    static byte[] b(final String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
