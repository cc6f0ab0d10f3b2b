package io.duetdb.server.config;

import io.duetdb.storage.io.IoMode;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Builds a {@link NodeConfig} from, in rising precedence: defaults, a YAML file ({@code --config}
 * or {@code DUET_CONFIG}), {@code DUET_*} environment variables, and flags. A bad value fails with
 * a message naming the setting and where the value came from.
 *
 * <p>Unknown YAML keys and unknown flags are errors; unknown {@code DUET_*} variables are ignored,
 * because Kubernetes injects {@code <SERVICE>_PORT_*} variables for any service named "duet".
 */
public final class ConfigLoader {
    /** A raw value and where it came from, for error messages. */
    private record Raw(String text, String origin) {
    }

    private ConfigLoader() {
    }

    public static NodeConfig load(final String[] args, final Map<String, String> env) {
        final Map<Setting, Raw> values = new EnumMap<>(Setting.class);
        for (final Setting s : Setting.values()) {
            if (s.defaultValue != null) {
                values.put(s, new Raw(s.defaultValue, "default"));
            }
        }
        final Map<Setting, Raw> fromFlags = new EnumMap<>(Setting.class);
        String configFile = env.get("DUET_CONFIG");
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            String inline = null;
            final int eq = flag.indexOf('=');
            if (flag.startsWith("--") && eq > 0) {
                inline = flag.substring(eq + 1);
                flag = flag.substring(0, eq);
            }
            if (flag.equals("--no-batching")) {
                fromFlags.put(Setting.BATCHING, new Raw("false", "flag --no-batching"));
                continue;
            }
            final Setting s = flag.equals("--data") ? Setting.DATA_DIR
                : flag.startsWith("--") ? Setting.byKey(flag.substring(2)) : null;
            if (s == null && !flag.equals("--config")) {
                throw new IllegalArgumentException("unknown flag " + flag + "\n" + Setting.usage());
            }
            final String value;
            if (inline != null) {
                value = inline;
            } else if (s != null && s.isBoolean()) {
                value = "true";
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new IllegalArgumentException("flag " + flag + " needs a value\n" + Setting.usage());
            }
            if (s == null) {
                configFile = value;
            } else {
                fromFlags.put(s, new Raw(value, "flag " + flag));
            }
        }
        if (configFile != null) {
            values.putAll(readYaml(Path.of(configFile)));
        }
        for (final Setting s : Setting.values()) {
            final String v = env.get(s.envVar());
            if (v != null) {
                values.put(s, new Raw(v, "environment variable " + s.envVar()));
            }
        }
        values.putAll(fromFlags);
        return build(values);
    }

    private static NodeConfig build(final Map<Setting, Raw> v) {
        final Typed t = new Typed(v);
        final List<String> missing = new ArrayList<>();
        for (final Setting s : new Setting[] {Setting.ID, Setting.DATA_DIR, Setting.PEER_PORT, Setting.CLIENT_PORT,
            Setting.MEMBERS}) {
            if (!v.containsKey(s) || v.get(s).text().isBlank()) {
                missing.add(s.key + " (" + s.flag() + " or " + s.envVar() + ")");
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("invalid configuration: required settings missing: "
                + String.join(", ", missing) + "\n" + Setting.usage());
        }
        try {
            final List<NodeConfig.Member> members = new ArrayList<>();
            final Raw membersRaw = t.required(Setting.MEMBERS);
            for (final String m : membersRaw.text().split(",")) {
                if (!m.isBlank()) {
                    try {
                        members.add(NodeConfig.Member.parse(m.trim()));
                    } catch (final IllegalArgumentException e) {
                        throw new IllegalArgumentException(t.context(Setting.MEMBERS) + ": " + e.getMessage());
                    }
                }
            }
            final String[] election = t.required(Setting.ELECTION_TIMEOUT_MS).text().split(":");
            if (election.length != 2) {
                throw new IllegalArgumentException(t.context(Setting.ELECTION_TIMEOUT_MS) + ": want MIN:MAX");
            }
            final String host = t.required(Setting.HOST).text();
            final NodeConfig.Tls tls = new NodeConfig.Tls(t.path(Setting.TLS_CERT_FILE), t.path(Setting.TLS_KEY_FILE),
                t.path(Setting.TLS_CA_FILE), t.choice(Setting.TLS_CLIENT_AUTH, "none", "require").equals("require"));
            for (final Path p : new Path[] {tls.certFile(), tls.keyFile(), tls.caFile()}) {
                if (p != null && !Files.isReadable(p)) {
                    throw new IllegalArgumentException("TLS file " + p + " is not readable");
                }
            }
            return new NodeConfig(t.required(Setting.ID).text(), Path.of(t.required(Setting.DATA_DIR).text()), host,
                v.containsKey(Setting.LISTEN_HOST) ? v.get(Setting.LISTEN_HOST).text() : host,
                t.port(Setting.PEER_PORT), t.port(Setting.CLIENT_PORT), t.portOrZero(Setting.ADMIN_PORT), members,
                t.bool(Setting.JOIN), NodeConfig.DEFAULT_GROUP_ID, t.ioMode(), t.number(Setting.SNAPSHOT_EVERY),
                (int) t.number(Setting.ELECTION_TIMEOUT_MS, election[0]),
                (int) t.number(Setting.ELECTION_TIMEOUT_MS, election[1]), t.bool(Setting.BATCHING),
                (int) t.number(Setting.MAX_IN_FLIGHT_ENTRIES), t.number(Setting.RAFT_SEGMENT_BYTES),
                t.number(Setting.INTENT_SEGMENT_BYTES),
                new NodeConfig.RequestLimits((int) t.number(Setting.MAX_KEY_BYTES),
                    (int) t.number(Setting.MAX_VALUE_BYTES), (int) t.number(Setting.MAX_REQUEST_BYTES),
                    (int) t.number(Setting.MAX_TXN_OPS)),
                NodeConfig.ReadMode.parse(t.choice(Setting.READ_OPTION, "linearizable", "default",
                    "unconfirmed-read-index")),
                t.number(Setting.READY_MAX_LAG_ENTRIES),
                SpaceQuotaSizing.resolve(t.required(Setting.SPACE_QUOTA_BYTES).text(), Runtime.getRuntime().maxMemory()),
                tls);
        } catch (final IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid configuration: " + e.getMessage());
        }
    }

    static int port(final String text) {
        try {
            final int port = Integer.parseInt(text.trim());
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (final NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("'" + text + "' is not a port (1..65535)");
    }

    /** Typed access to the merged raw values, with errors that name the setting and its origin. */
    private record Typed(Map<Setting, Raw> values) {
        Raw required(final Setting s) {
            final Raw r = values.get(s);
            if (r == null || r.text().isBlank()) {
                throw new IllegalArgumentException("setting '" + s.key + "' is required (YAML " + s.key + ", flag "
                    + s.flag() + " or " + s.envVar() + ")\n" + Setting.usage());
            }
            return r;
        }

        String context(final Setting s) {
            final Raw r = values.get(s);
            return "setting '" + s.key + "'" + (r == null ? "" : " (" + r.origin() + ": '" + r.text() + "')");
        }

        long number(final Setting s) {
            return number(s, required(s).text());
        }

        long number(final Setting s, final String text) {
            try {
                final long n = Long.parseLong(text.trim().replace("_", ""));
                if (n >= 0) {
                    return n;
                }
            } catch (final NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException(context(s) + ": '" + text + "' is not a whole number >= 0");
        }

        int port(final Setting s) {
            try {
                return ConfigLoader.port(required(s).text());
            } catch (final IllegalArgumentException e) {
                throw new IllegalArgumentException(context(s) + ": " + e.getMessage());
            }
        }

        int portOrZero(final Setting s) {
            return "0".equals(required(s).text().trim()) ? 0 : port(s);
        }

        boolean bool(final Setting s) {
            return choice(s, "true", "false").equals("true");
        }

        String choice(final Setting s, final String... allowed) {
            final String text = required(s).text().trim().toLowerCase(java.util.Locale.ROOT);
            for (final String a : allowed) {
                if (a.equals(text)) {
                    return a;
                }
            }
            throw new IllegalArgumentException(context(s) + ": expected one of " + String.join(", ", allowed));
        }

        Path path(final Setting s) {
            final Raw r = values.get(s);
            return r == null || r.text().isBlank() ? null : Path.of(r.text().trim());
        }

        IoMode ioMode() {
            try {
                return IoMode.parse(required(Setting.IO_MODE).text());
            } catch (final IllegalArgumentException e) {
                throw new IllegalArgumentException(context(Setting.IO_MODE) + ": " + e.getMessage());
            }
        }
    }

    /** Reads a YAML map; nested maps flatten with dashes ({@code tls: {cert-file: x}} is tls-cert-file). */
    private static Map<Setting, Raw> readYaml(final Path file) {
        final Object root;
        try (Reader r = Files.newBufferedReader(file)) {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).load(r);
        } catch (final IOException e) {
            throw new IllegalArgumentException("cannot read the config file " + file + ": " + e.getMessage());
        } catch (final YAMLException e) {
            throw new IllegalArgumentException("config file " + file + " is not valid YAML: " + e.getMessage());
        }
        final Map<Setting, Raw> out = new EnumMap<>(Setting.class);
        if (root == null) {
            return out;
        }
        if (!(root instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("config file " + file + " must be a YAML mapping of settings");
        }
        flatten("", map, file, out);
        return out;
    }

    private static void flatten(final String prefix, final Map<?, ?> map, final Path file, final Map<Setting, Raw> out) {
        for (final Map.Entry<?, ?> e : map.entrySet()) {
            final String key = prefix + e.getKey();
            if (e.getValue() instanceof Map<?, ?> nested) {
                flatten(key + "-", nested, file, out);
                continue;
            }
            final Setting s = Setting.byKey(key.equals("data") ? "data-dir" : key);
            if (s == null) {
                throw new IllegalArgumentException("unknown setting '" + key + "' in " + file + "\n" + Setting.usage());
            }
            out.put(s, new Raw(yamlText(s, e.getValue(), file), "config file " + file));
        }
    }

    private static String yamlText(final Setting s, final Object value, final Path file) {
        if (value == null) {
            return "";
        }
        if (!(value instanceof List<?> list)) {
            return String.valueOf(value);
        }
        if (s != Setting.MEMBERS) {
            throw new IllegalArgumentException("setting '" + s.key + "' in " + file + " takes one value, not a list");
        }
        final List<String> members = new ArrayList<>();
        for (final Object item : list) {
            if (item instanceof Map<?, ?> m) {
                members.add(m.get("id") + "=" + m.get("host") + ":" + m.get("peer-port") + ":" + m.get("client-port"));
            } else {
                members.add(String.valueOf(item));
            }
        }
        return String.join(",", members);
    }
}
