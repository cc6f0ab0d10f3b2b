package io.duetdb.cli;

import io.duetdb.client.Bytes;
import io.duetdb.client.Compare;
import io.duetdb.client.Op;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text form of a transaction's parts, as in etcdctl:
 * <pre>
 *   compare:  value(KEY) = VALUE | version(KEY) &gt; 0 | create(KEY) = 0 | mod(KEY) &lt; 42   (= != &lt; &gt;)
 *   request:  get KEY [--prefix] | put KEY VALUE | del KEY [--prefix]
 * </pre>
 * Keys and values may be double-quoted ({@code "a b"}, with {@code \"} and {@code \\} inside).
 */
final class TxnParser {
    private static final Pattern COMPARE = Pattern.compile("\\s*(value|version|create|mod)\\s*\\((.*)\\)\\s*(=|!=|<|>)\\s*(.*)");

    private TxnParser() {
    }

    static Compare compare(final String text) {
        final Matcher m = COMPARE.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("compare '" + text + "' is not TARGET(KEY) OP VALUE, where TARGET is "
                + "value, version, create or mod and OP is =, !=, < or >; e.g. value(\"k\") = \"v\" or version(k) > 0");
        }
        final Bytes key = Bytes.of(single(m.group(2), "the key of compare '" + text + "'"));
        final Compare.Operator op = switch (m.group(3)) {
            case "=" -> Compare.Operator.EQUAL;
            case "!=" -> Compare.Operator.NOT_EQUAL;
            case "<" -> Compare.Operator.LESS;
            default -> Compare.Operator.GREATER;
        };
        final String operand = single(m.group(4), "the operand of compare '" + text + "'");
        if (m.group(1).equals("value")) {
            return Compare.value(key).is(op, Bytes.of(operand));
        }
        final long number;
        try {
            number = Long.parseLong(operand);
        } catch (final NumberFormatException e) {
            throw new IllegalArgumentException("compare '" + text + "': " + m.group(1) + " compares with a number, not '"
                + operand + "'");
        }
        return switch (m.group(1)) {
            case "version" -> Compare.version(key).is(op, number);
            case "create" -> Compare.createRevision(key).is(op, number);
            default -> Compare.modRevision(key).is(op, number);
        };
    }

    static Op request(final String text) {
        final List<String> t = tokens(text);
        final boolean prefix = t.size() == 3 && t.get(2).equals("--prefix");
        if (t.size() == 2 || prefix) {
            if (t.get(0).equals("get")) {
                return prefix ? Op.prefix(t.get(1)) : Op.get(t.get(1));
            }
            if (t.get(0).equals("del")) {
                return prefix ? Op.deletePrefix(t.get(1)) : Op.delete(t.get(1));
            }
        }
        if (t.size() == 3 && t.get(0).equals("put")) {
            return Op.put(t.get(1), t.get(2));
        }
        throw new IllegalArgumentException("request '" + text + "' is not one of: get KEY [--prefix], put KEY VALUE, "
            + "del KEY [--prefix]");
    }

    private static String single(final String text, final String what) {
        final List<String> t = tokens(text);
        if (t.size() != 1) {
            throw new IllegalArgumentException(what + " must be one word or a quoted string, not '" + text.trim() + "'");
        }
        return t.get(0);
    }

    /** Splits on spaces outside double quotes; a quoted token may contain \" and \\. */
    static List<String> tokens(final String text) {
        final List<String> out = new ArrayList<>();
        final StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        boolean inToken = false;
        for (int i = 0; i < text.length(); i++) {
            final char c = text.charAt(i);
            if (quoted) {
                if (c == '\\' && i + 1 < text.length()) {
                    cur.append(text.charAt(++i));
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cur.append(c);
                }
            } else if (c == '"') {
                quoted = true;
                inToken = true;
            } else if (Character.isWhitespace(c)) {
                if (inToken) {
                    out.add(cur.toString());
                    cur.setLength(0);
                    inToken = false;
                }
            } else {
                cur.append(c);
                inToken = true;
            }
        }
        if (quoted) {
            throw new IllegalArgumentException("unterminated quote in '" + text + "'");
        }
        if (inToken) {
            out.add(cur.toString());
        }
        return out;
    }
}
