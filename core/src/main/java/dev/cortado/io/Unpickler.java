package dev.cortado.io;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Python's pickle machine (protocols 0 to 5) for data only, the way
 * {@code torch.load(weights_only=True)} runs it: it builds dicts, lists, tuples, sets, numbers,
 * strings and bytes, and calls only the globals in an allow-list. A pickle that names anything
 * else (a custom class, a numpy scalar, {@code os.system}) is refused by name, so reading a file
 * never runs code.
 *
 * <p>Python values become {@code LinkedHashMap} (dict, OrderedDict), {@code ArrayList} (list),
 * an unmodifiable {@code List} (tuple), {@code LinkedHashSet}, {@code Long} or
 * {@code BigInteger} (int), {@code Double}, {@code Boolean}, {@code String}, {@code byte[]} and
 * {@code null}.
 */
final class Unpickler {
    /** A {@code module.name} reference that the pickle pushed with GLOBAL. */
    record Global(String module, String name) {
        @Override
        public String toString() {
            return module + "." + name;
        }
    }

    /** What an allowed global does when the pickle calls it (REDUCE) with {@code args}. */
    interface Callable {
        Object call(List<Object> args) throws IOException;
    }

    /** A value that BUILD fills in (a numpy array's shape and bytes); it throws IllegalArgumentException for a state it cannot take. */
    interface Buildable {
        void build(Object state);
    }

    /** Turns the pickle's persistent ids (torch's storages) into values. */
    interface PersistentLoader {
        Object load(Object pid) throws IOException;
    }

    private static final Object MARK = new Object() {
        @Override
        public String toString() {
            return "MARK";
        }
    };

    private final String source;
    private final Map<String, Callable> globals;
    private final PersistentLoader persistent;
    private final ByteBuffer in;
    private final List<Object> stack = new ArrayList<>();
    private final List<Integer> marks = new ArrayList<>();
    private final Map<Long, Object> memo = new HashMap<>();

    /**
     * Reads one pickle from {@code in}, starting at its position; {@code source} names the file
     * (and record) in error messages.
     */
    Unpickler(String source, ByteBuffer in, Map<String, Callable> globals, PersistentLoader persistent) {
        this.source = source;
        this.in = in.order(ByteOrder.LITTLE_ENDIAN);
        this.globals = globals;
        this.persistent = persistent;
    }

    /** Runs the pickle up to STOP and returns its value; {@code in} is left just past STOP. */
    Object load() throws IOException {
        try {
            while (true) {
                int at = in.position();
                int op = next() & 0xff;
                if (op == '.') {
                    if (stack.size() != 1 || !marks.isEmpty()) {
                        throw bad(at, "STOP with " + stack.size() + " values on the stack");
                    }
                    return stack.getFirst();
                }
                step(op, at);
            }
        } catch (java.nio.BufferUnderflowException e) {
            throw new IOException(source + ": the pickle ends before its STOP opcode (truncated file)");
        } catch (ClassCastException | IndexOutOfBoundsException | IllegalStateException | IllegalArgumentException e) {
            throw new IOException(source + ": malformed pickle near byte " + in.position() + " (" + e.getMessage() + ")");
        }
    }

    private void step(int op, int at) throws IOException {
        switch (op) {
            case 0x80 -> { // PROTO
                int protocol = next() & 0xff;
                if (protocol > 5) {
                    throw bad(at, "pickle protocol " + protocol + " is newer than 5");
                }
            }
            case 0x95 -> in.getLong(); // FRAME: a length hint only
            case '(' -> marks.add(stack.size());
            case '0' -> pop();
            case '1' -> popMark();
            case '2' -> push(top());
            case 'N' -> push(null);
            case 0x88 -> push(Boolean.TRUE);
            case 0x89 -> push(Boolean.FALSE);
            case 'K' -> push((long) (next() & 0xff));
            case 'M' -> push((long) (in.getShort() & 0xffff));
            case 'J' -> push((long) in.getInt());
            case 0x8a -> push(littleEndianInt(bytes(next() & 0xff)));
            case 0x8b -> push(littleEndianInt(bytes(length(in.getInt() & 0xffffffffL, at))));
            case 'I' -> push(textInt(digits(line(), at)));
            case 'L' -> push(shrink(new BigInteger(digits(stripSuffix(line(), "L"), at))));
            case 'G' -> push(Double.longBitsToDouble(Long.reverseBytes(in.getLong()))); // big-endian
            case 'F' -> push(Double.parseDouble(line()));
            case 'X' -> push(utf8(length(in.getInt() & 0xffffffffL, at)));
            case 0x8c -> push(utf8(next() & 0xff));
            case 0x8d -> push(utf8(length(in.getLong(), at)));
            case 'V' -> push(rawUnicodeEscape(line()));
            case 'T' -> push(latin1(length(in.getInt() & 0xffffffffL, at)));
            case 'U' -> push(latin1(next() & 0xff));
            case 'S' -> push(pythonStringLiteral(line(), at));
            case 'B' -> push(bytes(length(in.getInt() & 0xffffffffL, at)));
            case 'C' -> push(bytes(next() & 0xff));
            case 0x8e, 0x96 -> push(bytes(length(in.getLong(), at)));
            case ')' -> push(tuple(List.of()));
            case 't' -> push(tuple(popMark()));
            case 0x85 -> push(tuple(pops(1)));
            case 0x86 -> push(tuple(pops(2)));
            case 0x87 -> push(tuple(pops(3)));
            case ']' -> push(new ArrayList<>());
            case 'l' -> push(new ArrayList<>(popMark()));
            case 'a' -> {
                Object item = pop();
                list(top(), at).add(item);
            }
            case 'e' -> {
                List<Object> items = popMark();
                list(top(), at).addAll(items);
            }
            case '}' -> push(new LinkedHashMap<>());
            case 'd' -> push(dict(new LinkedHashMap<>(), popMark(), at));
            case 's' -> {
                Object value = pop();
                Object key = hashable(pop(), 0);
                map(top(), at).put(key, value);
            }
            case 'u' -> {
                List<Object> items = popMark();
                dict(map(top(), at), items, at);
            }
            case 0x8f -> push(new LinkedHashSet<>());
            case 0x90 -> {
                List<Object> items = popMark();
                if (!(top() instanceof Set<?>)) {
                    throw bad(at, "ADDITEMS on a " + typeName(top()));
                }
                @SuppressWarnings("unchecked") Set<Object> set = (Set<Object>) top();
                items.forEach(item -> set.add(hashable(item, 0)));
            }
            case 0x91 -> push(frozenSet(popMark()));
            case 'p' -> memo.put(Long.parseLong(line()), top());
            case 'q' -> memo.put((long) (next() & 0xff), top());
            case 'r' -> memo.put(in.getInt() & 0xffffffffL, top());
            case 0x94 -> memo.put((long) memo.size(), top());
            case 'g' -> push(recall(Long.parseLong(line()), at));
            case 'h' -> push(recall(next() & 0xff, at));
            case 'j' -> push(recall(in.getInt() & 0xffffffffL, at));
            case 'c' -> push(new Global(line(), line()));
            case 0x93 -> {
                Object name = pop();
                Object module = pop();
                if (!(module instanceof String m) || !(name instanceof String n)) {
                    throw bad(at, "STACK_GLOBAL needs two strings");
                }
                push(new Global(m, n));
            }
            case 'R' -> {
                Object args = pop();
                Object callable = pop();
                push(call(callable, args, at));
            }
            case 0x81, 0x92 -> {
                if (op == 0x92) {
                    pop();
                }
                pop();
                throw refused(pop(), at);
            }
            case 'b' -> {
                Object state = pop();
                build(top(), state, at);
            }
            case 'P' -> push(persistent.load(line()));
            case 'Q' -> push(persistent.load(pop()));
            case 'i', 'o' -> throw bad(at, "the pickle builds a class instance (opcode '" + (char) op
                    + "'); only data (dicts, lists, tensors, numbers, strings) can be read");
            default -> throw bad(at, String.format("unknown or unsupported pickle opcode 0x%02x", op));
        }
    }

    private Object call(Object callable, Object args, int at) throws IOException {
        if (!(callable instanceof Global g)) {
            throw bad(at, "REDUCE calls a " + typeName(callable) + ", not a global");
        }
        Callable c = globals.get(g.module() + " " + g.name());
        if (c == null) {
            throw refused(g, at);
        }
        if (!(args instanceof List<?> list)) {
            throw bad(at, g + " is called with a " + typeName(args) + " instead of an argument tuple");
        }
        @SuppressWarnings("unchecked") List<Object> a = (List<Object>) list;
        try {
            return c.call(a);
        } catch (RuntimeException e) {
            // The allowed callables take the arguments torch writes; anything else (missing, None, of another type) is a damaged file.
            throw bad(at, g + " cannot be called with " + a + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
    }

    private IOException refused(Object what, int at) {
        String name = what instanceof Global g ? "'" + g + "'" : "a " + typeName(what);
        return bad(at, "it calls " + name + ", which is not allowed: only tensors, dicts, lists, tuples, sets, numbers,"
                + " strings and numpy values can be read (what torch.load(weights_only=True) reads). Save the model's"
                + " state_dict(), not the model object");
    }

    /** BUILD sets attributes: a dict's (state_dict's {@code _metadata}) are dropped; a {@link Buildable} takes its state. */
    private void build(Object target, Object state, int at) throws IOException {
        if (target instanceof Map<?, ?> && (state == null || state instanceof Map<?, ?>)) {
            return;
        }
        if (target instanceof Buildable b) {
            try {
                b.build(state);
            } catch (RuntimeException e) {
                throw bad(at, "BUILD of a " + typeName(target) + " with " + typeName(state) + (e.getMessage() == null ? "" : ": " + e.getMessage()));
            }
            return;
        }
        throw bad(at, "BUILD sets the state of a " + typeName(target));
    }

    private static Map<Object, Object> dict(Map<Object, Object> map, List<Object> items, int at) {
        if (items.size() % 2 != 0) {
            throw new IllegalStateException("odd number of items for a dict at byte " + at);
        }
        for (int i = 0; i < items.size(); i += 2) {
            map.put(hashable(items.get(i), 0), items.get(i + 1));
        }
        return map;
    }

    /** A frozenset of {@code items}, each checked as a key. */
    static Set<Object> frozenSet(java.util.Collection<?> items) {
        Set<Object> set = new LinkedHashSet<>();
        items.forEach(item -> set.add(hashable(item, 0)));
        return Collections.unmodifiableSet(set);
    }

    /**
     * {@code key}, if Python could hash it: not a dict, list or set, nor a tuple holding one. This
     * also keeps a damaged pickle from making a dict its own key, whose hash would never end.
     */
    static Object hashable(Object key, int depth) {
        if (key instanceof Map<?, ?> || key instanceof ArrayList<?> || key instanceof LinkedHashSet<?>) {
            String python = key instanceof Map<?, ?> ? "dict" : key instanceof ArrayList<?> ? "list" : "set";
            throw new IllegalArgumentException("unhashable type: '" + python + "' as a dict key or set element");
        }
        if (key instanceof List<?> tuple) {
            if (depth > 100) {
                throw new IllegalArgumentException("a dict key of tuples nested more than 100 deep");
            }
            tuple.forEach(item -> hashable(item, depth + 1));
        }
        return key;
    }

    @SuppressWarnings("unchecked")
    private List<Object> list(Object o, int at) throws IOException {
        if (!(o instanceof ArrayList<?>)) {
            throw bad(at, "APPEND to a " + typeName(o));
        }
        return (List<Object>) o;
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> map(Object o, int at) throws IOException {
        if (!(o instanceof Map<?, ?>)) {
            throw bad(at, "SETITEM on a " + typeName(o));
        }
        return (Map<Object, Object>) o;
    }

    static List<Object> tuple(List<Object> items) {
        return Collections.unmodifiableList(new ArrayList<>(items));
    }

    static String typeName(Object o) {
        return o == null ? "None" : o instanceof Global g ? "global " + g : o.getClass().getSimpleName();
    }

    private Object recall(long index, int at) throws IOException {
        if (!memo.containsKey(index)) {
            throw bad(at, "memo entry " + index + " is read before it is written");
        }
        return memo.get(index);
    }

    private void push(Object o) {
        stack.add(o);
    }

    private Object top() {
        if (stack.isEmpty() || (!marks.isEmpty() && marks.getLast() == stack.size())) {
            throw new IllegalStateException("empty stack");
        }
        return stack.getLast();
    }

    private Object pop() {
        top();
        return stack.removeLast();
    }

    private List<Object> pops(int n) {
        if (stack.size() - n < (marks.isEmpty() ? 0 : marks.getLast())) {
            throw new IllegalStateException("a tuple of " + n + " needs more values on the stack");
        }
        List<Object> items = new ArrayList<>(stack.subList(stack.size() - n, stack.size()));
        stack.subList(stack.size() - n, stack.size()).clear();
        return items;
    }

    private List<Object> popMark() {
        if (marks.isEmpty()) {
            throw new IllegalStateException("no MARK on the stack");
        }
        int from = marks.removeLast();
        List<Object> items = new ArrayList<>(stack.subList(from, stack.size()));
        stack.subList(from, stack.size()).clear();
        return items;
    }

    private byte next() {
        return in.get();
    }

    private int length(long n, int at) throws IOException {
        if (n < 0 || n > in.remaining()) {
            throw bad(at, "a string or bytes of " + n + " bytes runs past the end of the pickle");
        }
        return (int) n;
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        in.get(b);
        return b;
    }

    private String utf8(int n) {
        return new String(bytes(n), StandardCharsets.UTF_8);
    }

    private String latin1(int n) {
        return new String(bytes(n), StandardCharsets.ISO_8859_1);
    }

    /** A newline-terminated ASCII argument of the text opcodes. */
    private String line() {
        StringBuilder s = new StringBuilder();
        for (byte b = next(); b != '\n'; b = next()) {
            s.append((char) (b & 0xff));
        }
        return s.toString();
    }

    private static Object littleEndianInt(byte[] le) {
        if (le.length == 0) {
            return 0L;
        }
        byte[] be = new byte[le.length];
        for (int i = 0; i < le.length; i++) {
            be[i] = le[le.length - 1 - i];
        }
        return shrink(new BigInteger(be));
    }

    private static Object shrink(BigInteger v) {
        return v.bitLength() < 64 ? (Object) v.longValue() : v;
    }

    private static Object textInt(String s) {
        return switch (s) {
            case "00" -> Boolean.FALSE;
            case "01" -> Boolean.TRUE;
            default -> shrink(new BigInteger(s));
        };
    }

    /**
     * A protocol-0 integer's text, at most Python's 4300 digits: parsing decimal text takes time
     * quadratic in its length, so a damaged file must not hold a megabyte of digits.
     */
    private String digits(String s, int at) throws IOException {
        if (s.length() > 4300) {
            throw bad(at, "an integer of " + s.length() + " digits, more than Python's 4300");
        }
        return s;
    }

    private static String stripSuffix(String s, String suffix) {
        return s.endsWith(suffix) ? s.substring(0, s.length() - suffix.length()) : s;
    }

    /** Protocol 0's unicode: {@code \\uXXXX} and {@code \\UXXXXXXXX} escapes, other chars as they are. */
    private static String rawUnicodeEscape(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length() && (s.charAt(i + 1) == 'u' || s.charAt(i + 1) == 'U')) {
                int digits = s.charAt(i + 1) == 'u' ? 4 : 8;
                out.appendCodePoint(Integer.parseInt(s.substring(i + 2, i + 2 + digits), 16));
                i += 1 + digits;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Protocol 0's str: a quoted Python literal with backslash escapes. */
    private String pythonStringLiteral(String s, int at) throws IOException {
        if (s.length() < 2 || s.charAt(0) != s.charAt(s.length() - 1) || (s.charAt(0) != '\'' && s.charAt(0) != '"')) {
            throw bad(at, "STRING argument " + s + " is not quoted");
        }
        StringBuilder out = new StringBuilder();
        for (int i = 1; i < s.length() - 1; i++) {
            char c = s.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char e = s.charAt(++i);
            switch (e) {
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case 'r' -> out.append('\r');
                case 'x' -> {
                    out.append((char) Integer.parseInt(s.substring(i + 1, i + 3), 16));
                    i += 2;
                }
                default -> out.append(e);
            }
        }
        return out.toString();
    }

    private IOException bad(int at, String what) {
        return new IOException(source + ": " + what + " (pickle byte " + at + ")");
    }
}
