package io.supernode.coherence.transport;

import io.supernode.coherence.protocol.CacheEvent;
import io.supernode.coherence.protocol.CacheLine;
import io.supernode.coherence.protocol.CacheState;
import io.supernode.coherence.protocol.CoreOp;
import io.supernode.coherence.protocol.DirLine;
import io.supernode.coherence.protocol.DirState;
import io.supernode.coherence.protocol.Message;
import io.supernode.coherence.protocol.MessageType;

import java.util.Arrays;

/**
 * A {@link CoherenceSystem} packed into a fixed number of longs, and back: the explorer's state, about
 * 24 bytes where a string key and its objects took hundreds. Two systems pack to the same longs exactly
 * when they agree in every cache line (state, value, acks), every core's outstanding request and count of
 * issued ones, every directory entry with the ghost last write, the forwarded messages in the order they
 * were sent, and the other messages as a multiset (they may arrive in any order). Systems that pack alike
 * can do the same things. The converse falls short in one place, on purpose: only each pair's order of
 * forwarded messages matters to the network, so two systems whose Invs to different caches were sent in
 * either order behave alike yet pack apart (about 5 % more states). Keeping the send order keeps the
 * counts equal to the Murphi model's (docs/murphi), which a second tool can repeat.
 *
 * <p>With a permutation of the node ids, {@link #encodeCanonical} packs the least of every renaming of the
 * identical caches: states that differ only in which cache is which pack alike (symmetry reduction).
 * Values are packed as their index among 0 and the store values, so a system only ever holds those.
 * Not thread-safe: each thread packs with its own instance ({@link #copy()}).
 */
public final class PackedState {

    /** More messages in flight than a packing was made for: pack with a larger bound. */
    public static final class TooManyMessages extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TooManyMessages(int inFlight, int bound) {
            super(inFlight + " messages in flight, more than the " + bound + " a packed state holds");
        }
    }

    private static final int SMALL_VALUES = 256;

    private final CoherenceSystem template;
    private final int nodes;
    private final int lines;
    private final int maxMessages;
    private final int opsPerNode;
    private final int[] storeValues;
    private final int[] values;
    /** Index of each small value in {@link #values}, -1 for none: the common values without a search. */
    private final int[] valueIndexes;

    private final int stateBits;
    private final int valueBits;
    private final int acksBits;
    private final int nodeBits;
    private final int lineBits;
    private final int eventBits;
    private final int issuedBits;
    private final int dirStateBits;
    private final int countBits;
    private final int cacheBits;
    private final int opBits;
    private final int dirBits;
    private final int typeBits;
    private final int ackCountBits;
    private final int messageBits;
    private final int words;

    private final CacheLine[] cacheLines;
    private final DirLine[] dirLines;
    private final CoreOp[] ops;
    private final Message[] messages;
    private final int[][] permutations;
    /** For each permutation, the node each renamed id stands for. */
    private final int[][] inverses;

    private final long[] scratch;
    private final long[] unordered;
    private long[] out;
    private int bit;

    /**
     * A packing for systems like {@code template} (its node and line counts, protocol and variant), each core
     * issuing at most {@code opsPerNode} requests that store one of {@code storeValues}, with at most
     * {@code maxMessages} messages in flight.
     */
    public PackedState(CoherenceSystem template, int opsPerNode, int[] storeValues, int maxMessages) {
        this.template = template.copy();
        this.nodes = template.nodes();
        this.lines = template.lines();
        this.maxMessages = maxMessages;
        this.opsPerNode = opsPerNode;
        this.storeValues = storeValues.clone();
        this.values = valueDomain(storeValues);
        this.valueIndexes = new int[SMALL_VALUES];
        Arrays.fill(valueIndexes, -1);
        for (int i = 0; i < values.length; i++) {
            if (values[i] >= 0 && values[i] < SMALL_VALUES) {
                valueIndexes[values[i]] = i;
            }
        }
        this.stateBits = bitsFor(CacheState.values().length);
        this.valueBits = bitsFor(values.length);
        this.acksBits = bitsFor(2 * nodes + 1);
        this.nodeBits = bitsFor(nodes + 1);
        this.lineBits = bitsFor(lines);
        this.eventBits = bitsFor(CacheEvent.values().length + 1);
        this.issuedBits = bitsFor(opsPerNode + 1);
        this.dirStateBits = bitsFor(DirState.values().length);
        this.countBits = bitsFor(maxMessages + 1);
        this.cacheBits = stateBits + valueBits + acksBits;
        this.opBits = eventBits + valueBits + lineBits;
        this.dirBits = dirStateBits + nodes + nodeBits + valueBits;
        this.typeBits = bitsFor(MessageType.values().length);
        this.ackCountBits = bitsFor(nodes + 1);
        this.messageBits = typeBits + 3 * nodeBits + lineBits + ackCountBits + valueBits;
        if (messageBits > 24 || cacheBits > 20 || dirBits > 20 || opBits > 20) {
            throw new IllegalArgumentException("a system of " + nodes + " nodes and " + lines + " lines is too large to pack");
        }
        int totalBits = nodes * (lines * cacheBits + opBits + issuedBits) + lines * (dirBits + valueBits) + 1
                + 2 * countBits + maxMessages * messageBits;
        this.words = (totalBits + Long.SIZE - 1) / Long.SIZE;
        this.cacheLines = new CacheLine[1 << cacheBits];
        this.dirLines = new DirLine[1 << dirBits];
        this.ops = new CoreOp[1 << (eventBits + valueBits)];
        this.messages = new Message[1 << messageBits];
        this.permutations = permutations(nodes);
        this.inverses = new int[permutations.length][nodes];
        for (int p = 0; p < permutations.length; p++) {
            for (int n = 0; n < nodes; n++) {
                inverses[p][permutations[p][n]] = n;
            }
        }
        this.scratch = new long[words];
        this.unordered = new long[maxMessages];
    }

    private PackedState(PackedState o) {
        this(o.template, o.opsPerNode, o.storeValues, o.maxMessages);
    }

    /** A packing of the same shape with its own scratch space, for another thread. */
    public PackedState copy() {
        return new PackedState(this);
    }

    /** Longs per packed state. */
    public int words() {
        return words;
    }

    /** Node-id permutations {@link #encodeCanonical} tries: nodes factorial. */
    public int permutations() {
        return permutations.length;
    }

    /**
     * Packs {@code system} as it is into {@code into[offset .. offset + words)}.
     *
     * @throws TooManyMessages when more messages are in flight than this packing holds
     * @throws IllegalStateException when a value is not 0 or a store value
     */
    public void encode(CoherenceSystem system, long[] into, int offset) {
        encode(system, 0, into, offset);
    }

    /** Packs the least of {@code system}'s renamings of nodes into {@code into[0 .. words)}. */
    public void encodeCanonical(CoherenceSystem system, long[] into) {
        encode(system, 0, into, 0);
        for (int p = 1; p < permutations.length; p++) {
            encode(system, p, scratch, 0);
            if (Arrays.compareUnsigned(scratch, 0, words, into, 0, words) < 0) {
                System.arraycopy(scratch, 0, into, 0, words);
            }
        }
    }

    private void encode(CoherenceSystem s, int permutation, long[] into, int offset) {
        int[] rename = permutations[permutation];
        Arrays.fill(into, offset, offset + words, 0L);
        out = into;
        bit = offset * Long.SIZE;
        for (int renamed = 0; renamed < nodes; renamed++) {
            int n = inverses[permutation][renamed];
            for (int l = 0; l < lines; l++) {
                CacheLine c = s.caches[n][l];
                put(c.state().ordinal() | valueIndex(c.value()) << stateBits | (c.acks() + nodes) << (stateBits + valueBits),
                        cacheBits);
            }
            CoreOp op = s.pending[n];
            put(op == null ? 0 : op.event().ordinal() + 1 | valueIndex(op.value()) << eventBits
                    | s.pendingLine[n] << (eventBits + valueBits), opBits);
            put(s.issued[n], issuedBits);
        }
        for (int l = 0; l < lines; l++) {
            DirLine d = s.dir[l];
            int sharers = 0;
            for (int n = 0; n < nodes; n++) {
                sharers |= (d.sharers() >>> n & 1) << rename[n];
            }
            put(d.state().ordinal() | sharers << dirStateBits | (rename(rename, d.owner()) + 1) << (dirStateBits + nodes)
                    | valueIndex(d.memory()) << (dirStateBits + nodes + nodeBits), dirBits);
            put(valueIndex(s.lastWrite[l]), valueBits);
        }
        put(s.dataValueError == null ? 0 : 1, 1);
        if (s.network.size() > maxMessages) {
            throw new TooManyMessages(s.network.size(), maxMessages);
        }
        int forwards = 0;
        for (Message m : s.network) {
            forwards += s.ordered(m) ? 1 : 0;
        }
        put(forwards, countBits);
        int others = 0;
        for (Message m : s.network) {
            if (s.ordered(m)) {
                put(messageCode(m, rename), messageBits);
            } else {
                unordered[others++] = messageCode(m, rename);
            }
        }
        Arrays.sort(unordered, 0, others);
        put(others, countBits);
        for (int i = 0; i < others; i++) {
            put(unordered[i], messageBits);
        }
    }

    /**
     * The system packed at {@code from[offset .. offset + words)}: a new system sharing this packing's
     * controllers, its forwarded messages first in their order, then the others.
     */
    public CoherenceSystem decode(long[] from, int offset) {
        CoherenceSystem s = template.copy();
        decode(from, offset, s);
        return s;
    }

    /**
     * Overwrites every part of {@code s}, a system of this packing's shape, with the system packed at
     * {@code from[offset .. offset + words)}: the same system {@link #decode(long[], int)} makes, with
     * nothing allocated, for a caller that applies one step after another to the same packed state.
     */
    public void decode(long[] from, int offset, CoherenceSystem s) {
        if (s.nodes() != nodes || s.lines() != lines || s.protocol() != template.protocol() || s.variant() != template.variant()) {
            throw new IllegalArgumentException("cannot decode into a system of another shape, protocol or variant");
        }
        long[] in = from;
        int at = offset * Long.SIZE;
        for (int n = 0; n < nodes; n++) {
            for (int l = 0; l < lines; l++) {
                s.caches[n][l] = cacheLine((int) get(in, at, cacheBits));
                at += cacheBits;
            }
            int op = (int) get(in, at, opBits);
            at += opBits;
            s.pending[n] = op == 0 ? null : coreOp(op & ((1 << (eventBits + valueBits)) - 1));
            s.pendingLine[n] = op >>> (eventBits + valueBits);
            s.issued[n] = (int) get(in, at, issuedBits);
            at += issuedBits;
        }
        for (int l = 0; l < lines; l++) {
            s.dir[l] = dirLine((int) get(in, at, dirBits));
            at += dirBits;
            s.lastWrite[l] = values[(int) get(in, at, valueBits)];
            at += valueBits;
        }
        s.dataValueError = get(in, at, 1) == 0 ? null : "a load returned a value other than the last write";
        at += 1;
        s.network.clear();
        for (int part = 0; part < 2; part++) {
            int count = (int) get(in, at, countBits);
            at += countBits;
            for (int i = 0; i < count; i++) {
                s.network.add(message((int) get(in, at, messageBits)));
                at += messageBits;
            }
        }
    }

    private long messageCode(Message m, int[] rename) {
        int code = m.type().ordinal();
        int shift = typeBits;
        code |= (rename(rename, m.source()) + 1) << shift;
        shift += nodeBits;
        code |= (rename(rename, m.target()) + 1) << shift;
        shift += nodeBits;
        code |= (rename(rename, m.requestor()) + 1) << shift;
        shift += nodeBits;
        code |= m.line() << shift;
        shift += lineBits;
        code |= m.ackCount() << shift;
        shift += ackCountBits;
        return code | valueIndex(m.value()) << shift;
    }

    private Message message(int code) {
        Message m = messages[code];
        if (m == null) {
            int shift = typeBits;
            int source = field(code, shift, nodeBits) - 1;
            shift += nodeBits;
            int target = field(code, shift, nodeBits) - 1;
            shift += nodeBits;
            int requestor = field(code, shift, nodeBits) - 1;
            shift += nodeBits;
            int line = field(code, shift, lineBits);
            shift += lineBits;
            int ackCount = field(code, shift, ackCountBits);
            shift += ackCountBits;
            m = new Message(MessageType.values()[field(code, 0, typeBits)], source, target, line, requestor, ackCount,
                    values[field(code, shift, valueBits)]);
            messages[code] = m;
        }
        return m;
    }

    private CacheLine cacheLine(int code) {
        CacheLine c = cacheLines[code];
        if (c == null) {
            c = new CacheLine(CacheState.values()[field(code, 0, stateBits)], values[field(code, stateBits, valueBits)],
                    field(code, stateBits + valueBits, acksBits) - nodes);
            cacheLines[code] = c;
        }
        return c;
    }

    private DirLine dirLine(int code) {
        DirLine d = dirLines[code];
        if (d == null) {
            d = new DirLine(DirState.values()[field(code, 0, dirStateBits)], field(code, dirStateBits, nodes),
                    field(code, dirStateBits + nodes, nodeBits) - 1, values[field(code, dirStateBits + nodes + nodeBits, valueBits)]);
            dirLines[code] = d;
        }
        return d;
    }

    private CoreOp coreOp(int code) {
        CoreOp op = ops[code];
        if (op == null) {
            op = new CoreOp(CacheEvent.values()[field(code, 0, eventBits) - 1], values[field(code, eventBits, valueBits)]);
            ops[code] = op;
        }
        return op;
    }

    private int valueIndex(int value) {
        if (value >= 0 && value < valueIndexes.length && valueIndexes[value] >= 0) {
            return valueIndexes[value];
        }
        for (int i = 0; i < values.length; i++) {
            if (values[i] == value) {
                return i;
            }
        }
        throw new IllegalStateException("value " + value + " is neither 0 nor a store value " + Arrays.toString(values));
    }

    private void put(long value, int width) {
        if (value >>> width != 0) {
            throw new IllegalStateException("value " + value + " does not fit the " + width + " bits this packing gives it "
                    + "(a system larger than the packing was made for)");
        }
        if (width == 0) {
            return;
        }
        int word = bit >>> 6;
        int shift = bit & 63;
        out[word] |= value << shift;
        if (shift + width > Long.SIZE) {
            out[word + 1] |= value >>> (Long.SIZE - shift);
        }
        bit += width;
    }

    private static long get(long[] in, int at, int width) {
        if (width == 0) {
            return 0;
        }
        int word = at >>> 6;
        int shift = at & 63;
        long value = in[word] >>> shift;
        if (shift + width > Long.SIZE) {
            value |= in[word + 1] << (Long.SIZE - shift);
        }
        return value & ((1L << width) - 1);
    }

    private static int field(int code, int shift, int width) {
        return code >>> shift & ((1 << width) - 1);
    }

    private static int rename(int[] rename, int node) {
        return node < 0 ? node : rename[node];
    }

    /** Bits that hold {@code 0 .. count - 1}. */
    private static int bitsFor(int count) {
        return count <= 1 ? 0 : Integer.SIZE - Integer.numberOfLeadingZeros(count - 1);
    }

    private static int[] valueDomain(int[] storeValues) {
        int[] domain = new int[storeValues.length + 1];
        int size = 1;
        for (int v : storeValues) {
            boolean seen = false;
            for (int i = 0; i < size; i++) {
                seen |= domain[i] == v;
            }
            if (!seen) {
                domain[size++] = v;
            }
        }
        return Arrays.copyOf(domain, size);
    }

    /** Every permutation of {@code 0 .. n - 1}, the identity first. */
    private static int[][] permutations(int n) {
        int count = 1;
        for (int i = 2; i <= n; i++) {
            count *= i;
        }
        int[][] all = new int[count][];
        int[] current = new int[n];
        for (int i = 0; i < n; i++) {
            current[i] = i;
        }
        for (int p = 0; p < count; p++) {
            all[p] = current.clone();
            nextPermutation(current);
        }
        return all;
    }

    private static void nextPermutation(int[] a) {
        int i = a.length - 2;
        while (i >= 0 && a[i] >= a[i + 1]) {
            i--;
        }
        if (i < 0) {
            return;
        }
        int j = a.length - 1;
        while (a[j] <= a[i]) {
            j--;
        }
        int t = a[i];
        a[i] = a[j];
        a[j] = t;
        for (int l = i + 1, r = a.length - 1; l < r; l++, r--) {
            t = a[l];
            a[l] = a[r];
            a[r] = t;
        }
    }
}
