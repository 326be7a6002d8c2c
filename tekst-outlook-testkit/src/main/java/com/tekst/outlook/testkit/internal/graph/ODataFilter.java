package com.tekst.outlook.testkit.internal.graph;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * A small OData {@code $filter} parser and evaluator: {@code or}, {@code and}, {@code not}, parentheses, comparisons
 * ({@code eq ne gt ge lt le}) of a property path with a literal (string, number, boolean, null, date-time, date),
 * {@code startswith/endswith/contains(property,'text')}, and {@code collection/any(x:x eq 'text')} on a string
 * collection such as a user's {@code proxyAddresses} (compared ignoring case, as the directory does). Properties are
 * checked against a schema of names and types. Internal.
 */
final class ODataFilter {

    /** The type of a filterable property. */
    enum Type { STRING, INSTANT, BOOLEAN, NUMBER, STRING_COLLECTION }

    /** Why a filter was refused. */
    static final class FilterException extends RuntimeException {
        enum Kind { SYNTAX, UNKNOWN_PROPERTY, UNSUPPORTED }

        final Kind kind;
        final String property;

        FilterException(Kind kind, String property, String message) {
            super(message, null, false, false);
            this.kind = kind;
            this.property = property;
        }
    }

    sealed interface Node permits Or, And, Not, Compare, Call, Any {
    }

    record Or(Node left, Node right) implements Node {
    }

    record And(Node left, Node right) implements Node {
    }

    record Not(Node inner) implements Node {
    }

    record Compare(String property, String op, Object value) implements Node {
    }

    record Call(String function, String property, String argument) implements Node {
    }

    /** {@code property/any(x:x eq 'value')}: some element of a string collection equals the value (ignoring case). */
    record Any(String property, String value) implements Node {
    }

    private final Node root;
    private final List<String> properties;

    private ODataFilter(Node root, List<String> properties) {
        this.root = root;
        this.properties = properties;
    }

    Node root() {
        return root;
    }

    /** The properties in the order the filter names them (repeats included). */
    List<String> properties() {
        return properties;
    }

    /**
     * Parses {@code text} against a schema (property path, case-insensitive → type). Canonical property names are
     * those of the schema's keys.
     */
    static ODataFilter parse(String text, Map<String, Type> schema) {
        Parser p = new Parser(tokenize(text), schema);
        Node n = p.expression();
        if (p.pos < p.tokens.size()) {
            throw syntax("unexpected '" + p.tokens.get(p.pos) + "'");
        }
        return new ODataFilter(n, List.copyOf(p.seen));
    }

    /** Whether an entity with these property values passes the filter. */
    boolean test(Function<String, Object> values) {
        return eval(root, values);
    }

    private static boolean eval(Node n, Function<String, Object> values) {
        if (n instanceof Or o) {
            return eval(o.left(), values) || eval(o.right(), values);
        }
        if (n instanceof And a) {
            return eval(a.left(), values) && eval(a.right(), values);
        }
        if (n instanceof Not x) {
            return !eval(x.inner(), values);
        }
        if (n instanceof Any any) {
            Object v = values.apply(any.property());
            if (!(v instanceof java.util.Collection<?> elements)) {
                return false;
            }
            for (Object element : elements) {
                if (element != null && element.toString().equalsIgnoreCase(any.value())) {
                    return true;
                }
            }
            return false;
        }
        if (n instanceof Call c) {
            Object v = values.apply(c.property());
            if (v == null) {
                return false;
            }
            String s = v.toString().toLowerCase(Locale.ROOT);
            String arg = c.argument().toLowerCase(Locale.ROOT);
            return switch (c.function()) {
                case "startswith" -> s.startsWith(arg);
                case "endswith" -> s.endsWith(arg);
                default -> s.contains(arg);
            };
        }
        Compare c = (Compare) n;
        Object v = values.apply(c.property());
        int cmp;
        if (v == null || c.value() == null) {
            boolean bothNull = v == null && c.value() == null;
            return switch (c.op()) {
                case "eq" -> bothNull;
                case "ne" -> !bothNull;
                default -> false;
            };
        }
        if (v instanceof Instant i) {
            cmp = i.compareTo((Instant) c.value());
        } else if (v instanceof Boolean b) {
            cmp = Boolean.compare(b, (Boolean) c.value());
        } else if (v instanceof Number num) {
            cmp = Double.compare(num.doubleValue(), ((Number) c.value()).doubleValue());
        } else {
            cmp = v.toString().compareToIgnoreCase(c.value().toString());
        }
        return switch (c.op()) {
            case "eq" -> cmp == 0;
            case "ne" -> cmp != 0;
            case "gt" -> cmp > 0;
            case "ge" -> cmp >= 0;
            case "lt" -> cmp < 0;
            default -> cmp <= 0;
        };
    }

    // ---- tokens ----------------------------------------------------------------------------------------------------

    private static List<String> tokenize(String text) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '(' || c == ')' || c == ',') {
                out.add(String.valueOf(c));
                i++;
            } else if (c == '\'') {
                StringBuilder sb = new StringBuilder("'");
                i++;
                boolean closed = false;
                while (i < text.length()) {
                    char d = text.charAt(i);
                    if (d == '\'') {
                        if (i + 1 < text.length() && text.charAt(i + 1) == '\'') {
                            sb.append('\'');
                            i += 2;
                            continue;
                        }
                        closed = true;
                        i++;
                        break;
                    }
                    sb.append(d);
                    i++;
                }
                if (!closed) {
                    throw syntax("unterminated string literal");
                }
                out.add(sb.toString());
            } else {
                int start = i;
                while (i < text.length() && !Character.isWhitespace(text.charAt(i)) && "(),'".indexOf(text.charAt(i)) < 0) {
                    i++;
                }
                out.add(text.substring(start, i));
            }
        }
        if (out.isEmpty()) {
            throw syntax("empty filter");
        }
        return out;
    }

    private static FilterException syntax(String detail) {
        return new FilterException(FilterException.Kind.SYNTAX, null, "Invalid filter clause: " + detail + ".");
    }

    private static final class Parser {
        final List<String> tokens;
        final Map<String, Type> schema;
        final List<String> seen = new ArrayList<>();
        int pos;

        Parser(List<String> tokens, Map<String, Type> schema) {
            this.tokens = tokens;
            this.schema = schema;
        }

        String peek() {
            return pos < tokens.size() ? tokens.get(pos) : null;
        }

        String next() {
            if (pos >= tokens.size()) {
                throw syntax("the expression ends too early");
            }
            return tokens.get(pos++);
        }

        boolean peekKeyword(String kw) {
            String t = peek();
            return t != null && t.equalsIgnoreCase(kw);
        }

        void expect(String t) {
            String n = next();
            if (!n.equals(t)) {
                throw syntax("expected '" + t + "' but found '" + n + "'");
            }
        }

        Node expression() {
            Node left = and();
            while (peekKeyword("or")) {
                pos++;
                left = new Or(left, and());
            }
            return left;
        }

        Node and() {
            Node left = unary();
            while (peekKeyword("and")) {
                pos++;
                left = new And(left, unary());
            }
            return left;
        }

        Node unary() {
            if (peekKeyword("not")) {
                pos++;
                return new Not(unary());
            }
            return primary();
        }

        Node primary() {
            String t = next();
            if (t.equals("(")) {
                Node n = expression();
                expect(")");
                return n;
            }
            String lower = t.toLowerCase(Locale.ROOT);
            if ((lower.equals("startswith") || lower.equals("endswith") || lower.equals("contains"))
                    && "(".equals(peek())) {
                pos++;
                String property = property(next());
                expect(",");
                String arg = next();
                if (!arg.startsWith("'")) {
                    throw syntax(lower + " takes a string literal");
                }
                expect(")");
                if (schema.get(property) != Type.STRING) {
                    throw new FilterException(FilterException.Kind.UNSUPPORTED, property,
                            lower + " is not supported on '" + property + "'.");
                }
                return new Call(lower, property, arg.substring(1));
            }
            if (lower.endsWith("/any") && "(".equals(peek())) {
                pos++;
                String property = property(t.substring(0, t.length() - 4));
                if (schema.get(property) != Type.STRING_COLLECTION) {
                    throw new FilterException(FilterException.Kind.UNSUPPORTED, property,
                            "any is not supported on '" + property + "'.");
                }
                // the lambda: 'x:x eq 'v'', written as one token "x:x" or as "x:" "x"
                String head = next();
                String variable;
                if (head.endsWith(":")) {
                    variable = head.substring(0, head.length() - 1);
                    if (!next().equals(variable)) {
                        throw syntax("the lambda must compare its variable");
                    }
                } else {
                    int colon = head.indexOf(':');
                    if (colon <= 0 || !head.substring(colon + 1).equals(head.substring(0, colon))) {
                        throw syntax("expected a lambda like x:x eq 'value'");
                    }
                    variable = head.substring(0, colon);
                }
                if (!variable.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                    throw syntax("'" + variable + "' is not a lambda variable");
                }
                String op = next().toLowerCase(Locale.ROOT);
                if (!op.equals("eq")) {
                    throw new FilterException(FilterException.Kind.UNSUPPORTED, property,
                            "only eq is supported inside any on '" + property + "'.");
                }
                String literal = next();
                if (!literal.startsWith("'")) {
                    throw syntax("any compares with a string literal");
                }
                expect(")");
                return new Any(property, literal.substring(1));
            }
            if (t.equals(")") || t.equals(",") || t.startsWith("'")) {
                throw syntax("unexpected '" + t + "'");
            }
            String property = property(t);
            if (schema.get(property) == Type.STRING_COLLECTION) {
                throw new FilterException(FilterException.Kind.UNSUPPORTED, property,
                        "'" + property + "' is a collection: compare its elements with any.");
            }
            String op = next().toLowerCase(Locale.ROOT);
            if (!List.of("eq", "ne", "gt", "ge", "lt", "le").contains(op)) {
                throw syntax("unknown operator '" + op + "'");
            }
            Object value = literal(next(), schema.get(property), property);
            return new Compare(property, op, value);
        }

        String property(String raw) {
            for (Map.Entry<String, Type> e : schema.entrySet()) {
                if (e.getKey().equalsIgnoreCase(raw)) {
                    seen.add(e.getKey());
                    return e.getKey();
                }
            }
            if (!raw.matches("[A-Za-z_][A-Za-z0-9_/]*")) {
                throw syntax("'" + raw + "' is not a property");
            }
            throw new FilterException(FilterException.Kind.UNKNOWN_PROPERTY, raw, raw);
        }

        Object literal(String t, Type type, String property) {
            if (t.equalsIgnoreCase("null")) {
                return null;
            }
            switch (type) {
                case STRING:
                    if (!t.startsWith("'")) {
                        throw syntax("'" + property + "' is compared with a string literal");
                    }
                    return t.substring(1);
                case BOOLEAN:
                    if (t.equalsIgnoreCase("true") || t.equalsIgnoreCase("false")) {
                        return Boolean.parseBoolean(t.toLowerCase(Locale.ROOT));
                    }
                    throw syntax("'" + property + "' is compared with true or false");
                case NUMBER:
                    try {
                        return Double.parseDouble(t);
                    } catch (NumberFormatException e) {
                        throw syntax("'" + property + "' is compared with a number");
                    }
                default:
                    return dateTime(t, property);
            }
        }

        Instant dateTime(String t, String property) {
            String v = t.startsWith("'") ? t.substring(1) : t;
            try {
                if (v.length() == 10) {
                    return LocalDate.parse(v).atStartOfDay().toInstant(ZoneOffset.UTC);
                }
                return OffsetDateTime.parse(v).toInstant();
            } catch (DateTimeParseException e) {
                throw syntax("the DateTimeOffset text '" + v + "' for '" + property
                        + "' should be in format 'yyyy-mm-ddThh:mm:ss('.'s+)?(zzzzzz)?'");
            }
        }
    }
}
