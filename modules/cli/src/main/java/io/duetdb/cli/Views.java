package io.duetdb.cli;

import io.duetdb.client.Header;
import io.duetdb.client.KeyValue;
import java.util.LinkedHashMap;
import java.util.Map;

/** The JSON shapes shared by several commands (keys and values as UTF-8 text). */
final class Views {
    private Views() {
    }

    static Map<String, Object> header(final Header h) {
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("cluster_id", h.clusterId());
        m.put("member_id", h.memberId());
        m.put("revision", h.revision());
        m.put("raft_term", h.raftTerm());
        return m;
    }

    static Map<String, Object> kv(final KeyValue kv) {
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("key", kv.key().toStringUtf8());
        m.put("value", kv.value().toStringUtf8());
        m.put("version", kv.version());
        m.put("create_revision", kv.createRevision());
        m.put("mod_revision", kv.modRevision());
        return m;
    }

    static Map<String, Object> map(final Object... keysAndValues) {
        final Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }
}
