package io.aimp.gateway.common;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * The condition language: a tiny, safe expression evaluator over JSON values. Literals (strings in
 * single or double quotes, numbers, {@code true}, {@code false}, {@code null}), dotted references
 * such as {@code blocks.classify.output.text} or {@code input.items[0]}, comparisons
 * ({@code == != < <= > >=}, {@code contains}), {@code and / or / not} (also {@code && || !}) and
 * parentheses. No reflection, no script engine, no function calls: a reference only reads the JSON
 * document it is given. Workflow conditions and templates and the cross-field rules of forms use it.
 */
public final class Expr {

    /** A parse error with the position it was found at. */
    public static final class SyntaxError extends RuntimeException {
        SyntaxError(String message) {
            super(message, null, false, false);
        }
    }

    private sealed interface Node permits Lit, Ref, Not, Bin {
    }

    private record Lit(JsonNode value) implements Node {
    }

    /** A reference: path segments, each a name ({@code String}) or an array index ({@code Integer}). */
    private record Ref(List<Object> path, String text) implements Node {
    }

    private record Not(Node operand) implements Node {
    }

    private record Bin(String op, Node left, Node right) implements Node {
    }

    private final Node root;
    private final String source;

    private Expr(Node root, String source) {
        this.root = root;
        this.source = source;
    }

    /** @throws SyntaxError when {@code text} is not an expression of this language */
    public static Expr parse(String text) {
        if (text == null || text.isBlank()) {
            throw new SyntaxError("the expression is empty");
        }
        if (text.length() > 2000) {
            throw new SyntaxError("the expression is longer than 2000 characters");
        }
        Parser p = new Parser(text);
        Node n = p.or(0);
        p.skipSpace();
        if (p.pos < text.length()) {
            throw new SyntaxError("unexpected '" + text.charAt(p.pos) + "' at position " + (p.pos + 1));
        }
        return new Expr(n, text);
    }

    /** Every reference in the expression, as dotted text ({@code blocks.a.output.text}). */
    public void references(Consumer<String> sink) {
        walk(root, sink);
    }

    private static void walk(Node n, Consumer<String> sink) {
        switch (n) {
            case Ref r -> sink.accept(r.text());
            case Not not -> walk(not.operand(), sink);
            case Bin b -> {
                walk(b.left(), sink);
                walk(b.right(), sink);
            }
            case Lit l -> { }
        }
    }

    /** Whether the whole expression is one reference (the form a {@code $.} path in a template takes). */
    public boolean isReference() {
        return root instanceof Ref;
    }

    /** Evaluates against {@code scope} and answers the truth of the result. */
    public boolean test(JsonNode scope) {
        return truthy(eval(root, scope));
    }

    public JsonNode evaluate(JsonNode scope) {
        return eval(root, scope);
    }

    @Override
    public String toString() {
        return source;
    }

    private static JsonNode eval(Node n, JsonNode scope) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        return switch (n) {
            case Lit l -> l.value();
            case Ref r -> resolve(scope, r.path());
            case Not not -> f.booleanNode(!truthy(eval(not.operand(), scope)));
            case Bin b -> switch (b.op()) {
                case "and" -> f.booleanNode(truthy(eval(b.left(), scope)) && truthy(eval(b.right(), scope)));
                case "or" -> f.booleanNode(truthy(eval(b.left(), scope)) || truthy(eval(b.right(), scope)));
                default -> f.booleanNode(compare(b.op(), eval(b.left(), scope), eval(b.right(), scope)));
            };
        };
    }

    static JsonNode resolve(JsonNode scope, List<Object> path) {
        JsonNode cur = scope;
        for (Object seg : path) {
            if (cur == null || cur.isMissingNode() || cur.isNull()) {
                return JsonNodeFactory.instance.nullNode();
            }
            cur = seg instanceof Integer i ? cur.get(i) : cur.get((String) seg);
        }
        return cur == null || cur.isMissingNode() ? JsonNodeFactory.instance.nullNode() : cur;
    }

    private static boolean compare(String op, JsonNode a, JsonNode b) {
        if (op.equals("contains")) {
            if (a.isArray()) {
                for (JsonNode e : a) {
                    if (equal(e, b)) {
                        return true;
                    }
                }
                return false;
            }
            return a.isString() && b.isString() && a.stringValue().contains(b.stringValue());
        }
        if (op.equals("==")) {
            return equal(a, b);
        }
        if (op.equals("!=")) {
            return !equal(a, b);
        }
        int c;
        if (a.isNumber() && b.isNumber()) {
            c = a.decimalValue().compareTo(b.decimalValue());
        } else if (a.isString() && b.isString()) {
            c = a.stringValue().compareTo(b.stringValue());
        } else {
            return false; // ordering across types is never true
        }
        return switch (op) {
            case "<" -> c < 0;
            case "<=" -> c <= 0;
            case ">" -> c > 0;
            case ">=" -> c >= 0;
            default -> throw new IllegalStateException(op);
        };
    }

    private static boolean equal(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        return a.equals(b);
    }

    static boolean truthy(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            return false;
        }
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        if (v.isNumber()) {
            return v.decimalValue().signum() != 0;
        }
        if (v.isString()) {
            return !v.stringValue().isEmpty();
        }
        return !v.isEmpty() || v.isObject();
    }

    /** Recursive descent over the grammar in the class comment; depth is capped. */
    private static final class Parser {
        private static final int MAX_DEPTH = 32;
        private final String s;
        private int pos;

        Parser(String s) {
            this.s = s;
        }

        Node or(int depth) {
            Node left = and(depth);
            while (word("or") || symbol("||")) {
                left = new Bin("or", left, and(depth));
            }
            return left;
        }

        Node and(int depth) {
            Node left = not(depth);
            while (word("and") || symbol("&&")) {
                left = new Bin("and", left, not(depth));
            }
            return left;
        }

        Node not(int depth) {
            if (depth > MAX_DEPTH) {
                throw new SyntaxError("the expression nests deeper than " + MAX_DEPTH + " levels");
            }
            skipSpace();
            if (word("not") || (peek('!') && !s.startsWith("!=", pos) && symbol("!"))) {
                return new Not(not(depth + 1));
            }
            return comparison(depth);
        }

        Node comparison(int depth) {
            Node left = primary(depth);
            skipSpace();
            for (String op : new String[] {"==", "!=", "<=", ">=", "<", ">"}) {
                if (symbol(op)) {
                    return new Bin(op, left, primary(depth));
                }
            }
            if (word("contains")) {
                return new Bin("contains", left, primary(depth));
            }
            return left;
        }

        Node primary(int depth) {
            skipSpace();
            if (pos >= s.length()) {
                throw new SyntaxError("the expression ends where a value was expected");
            }
            char c = s.charAt(pos);
            if (c == '(') {
                pos++;
                Node inner = or(depth + 1);
                skipSpace();
                if (!symbol(")")) {
                    throw new SyntaxError("missing ')' at position " + (pos + 1));
                }
                return inner;
            }
            if (c == '"' || c == '\'') {
                return new Lit(JsonNodeFactory.instance.stringNode(string(c)));
            }
            if (Character.isDigit(c) || (c == '-' && pos + 1 < s.length() && Character.isDigit(s.charAt(pos + 1)))) {
                int start = pos++;
                while (pos < s.length() && (Character.isDigit(s.charAt(pos)) || s.charAt(pos) == '.')) {
                    pos++;
                }
                try {
                    return new Lit(JsonNodeFactory.instance.numberNode(new BigDecimal(s.substring(start, pos))));
                } catch (NumberFormatException e) {
                    throw new SyntaxError("'" + s.substring(start, pos) + "' is not a number");
                }
            }
            if (Character.isLetter(c) || c == '_') {
                String name = identifier();
                switch (name) {
                    case "true" -> {
                        return new Lit(JsonNodeFactory.instance.booleanNode(true));
                    }
                    case "false" -> {
                        return new Lit(JsonNodeFactory.instance.booleanNode(false));
                    }
                    case "null" -> {
                        return new Lit(JsonNodeFactory.instance.nullNode());
                    }
                    case "and", "or", "not", "contains" -> throw new SyntaxError("'" + name + "' needs a value before it");
                    default -> {
                        return reference(name);
                    }
                }
            }
            throw new SyntaxError("unexpected '" + c + "' at position " + (pos + 1));
        }

        private Node reference(String first) {
            List<Object> path = new ArrayList<>();
            path.add(first);
            StringBuilder text = new StringBuilder(first);
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c == '.') {
                    pos++;
                    if (pos >= s.length() || !(Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '_')) {
                        throw new SyntaxError("a name must follow '.' at position " + pos);
                    }
                    String name = identifier();
                    path.add(name);
                    text.append('.').append(name);
                } else if (c == '[') {
                    int close = s.indexOf(']', pos);
                    if (close < 0) {
                        throw new SyntaxError("missing ']' at position " + (pos + 1));
                    }
                    String index = s.substring(pos + 1, close).strip();
                    if (!index.matches("[0-9]{1,6}")) {
                        throw new SyntaxError("an index must be a whole number, at position " + (pos + 1));
                    }
                    path.add(Integer.parseInt(index));
                    text.append('[').append(index).append(']');
                    pos = close + 1;
                } else {
                    break;
                }
            }
            return new Ref(path, text.toString());
        }

        private String identifier() {
            int start = pos;
            while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '_')) {
                pos++;
            }
            return s.substring(start, pos);
        }

        private String string(char quote) {
            StringBuilder sb = new StringBuilder();
            pos++;
            while (pos < s.length()) {
                char c = s.charAt(pos++);
                if (c == quote) {
                    return sb.toString();
                }
                if (c == '\\' && pos < s.length()) {
                    c = s.charAt(pos++);
                }
                sb.append(c);
            }
            throw new SyntaxError("a string is not closed");
        }

        void skipSpace() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }

        private boolean peek(char c) {
            skipSpace();
            return pos < s.length() && s.charAt(pos) == c;
        }

        private boolean symbol(String sym) {
            skipSpace();
            if (s.startsWith(sym, pos)) {
                pos += sym.length();
                return true;
            }
            return false;
        }

        private boolean word(String w) {
            skipSpace();
            int end = pos + w.length();
            if (s.startsWith(w, pos) && (end >= s.length() || !(Character.isLetterOrDigit(s.charAt(end)) || s.charAt(end) == '_'))) {
                pos = end;
                return true;
            }
            return false;
        }
    }
}
