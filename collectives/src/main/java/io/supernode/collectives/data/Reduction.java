package io.supernode.collectives.data;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The reduction kernel: {@code into[i] = round(op(incoming[i], into[i]))} over {@code count} elements of one
 * type, the partial that arrived first and the receiver's own value second. That fixed order is what makes
 * a collective's result a function of its schedule alone, so that two paths running one schedule agree bit
 * for bit. Elements are little-endian, unaligned accesses allowed. Where the JVM has the Vector API, fp32 and
 * bfloat16 run as vector loops ({@link #vectorized()}), which round each element exactly as the scalar loops do.
 */
public final class Reduction {

    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED;
    /** Elements summed per block: 16 KiB of floats per array, within a core's L1 (A). */
    private static final int BLOCK = 4096;
    /** Read once: a module is resolved at JVM start or never. */
    private static final boolean VECTORIZED = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    private Reduction() {
    }

    /**
     * Whether the running JVM resolved module {@code jdk.incubator.vector} (flag
     * {@code --add-modules jdk.incubator.vector}), so that fp32 and bfloat16 reductions run as vector loops;
     * without it they run through heap blocks or element by element, with the same bits, about 6 (fp32) and
     * 30 (bf16) times slower (ReductionBenchmark).
     */
    public static boolean vectorized() {
        return VECTORIZED;
    }

    /**
     * Reduces {@code count} elements of {@code incoming} at byte {@code incomingOffset} into {@code into} at
     * byte {@code intoOffset}.
     *
     * @throws IllegalArgumentException when {@code op} does not reduce {@code type} (checked by the caller's
     *         configuration before any byte moves)
     */
    public static void reduce(DataType type, ReduceOp op, MemorySegment incoming, long incomingOffset,
                              MemorySegment into, long intoOffset, long count) {
        if (!op.supports(type)) {
            throw new IllegalArgumentException(op + " does not reduce " + type);
        }
        long done = VECTORIZED ? vectorPrefix(type, op, incoming, incomingOffset, into, intoOffset, count) : 0;
        long skipBytes = done * type.sizeBytes();
        reduceScalar(type, op, incoming, incomingOffset + skipBytes, into, intoOffset + skipBytes, count - done);
    }

    /** The elements the vector loops reduce from the start, whole vectors only; the rest is the caller's. */
    private static long vectorPrefix(DataType type, ReduceOp op, MemorySegment incoming, long incomingOffset,
                                     MemorySegment into, long intoOffset, long count) {
        if (type == DataType.FLOAT32 && op == ReduceOp.SUM) {
            return VectorReduction.sumFloats(incoming, incomingOffset, into, intoOffset, count);
        }
        if (type == DataType.FLOAT32 && op == ReduceOp.MAX) {
            return VectorReduction.maxFloats(incoming, incomingOffset, into, intoOffset, count);
        }
        if (type == DataType.BFLOAT16 && op == ReduceOp.SUM) {
            return VectorReduction.sumBfloat16(incoming, incomingOffset, into, intoOffset, count);
        }
        return 0;
    }

    /** {@link #reduce} without vector loops: what runs when the module is absent, and the tail after them. */
    static void reduceScalar(DataType type, ReduceOp op, MemorySegment incoming, long incomingOffset,
                             MemorySegment into, long intoOffset, long count) {
        switch (type) {
            case FLOAT32 -> {
                if (op == ReduceOp.SUM) {
                    sumFloats(incoming, incomingOffset, into, intoOffset, count);
                } else {
                    for (long i = 0; i < count; i++) {
                        long a = incomingOffset + i * 4;
                        long b = intoOffset + i * 4;
                        into.set(FLOAT, b, Math.max(incoming.get(FLOAT, a), into.get(FLOAT, b)));
                    }
                }
            }
            case BFLOAT16 -> {
                for (long i = 0; i < count; i++) {
                    float a = DataType.bfloat16ToFloat(incoming.get(SHORT, incomingOffset + i * 2));
                    long b = intoOffset + i * 2;
                    into.set(SHORT, b, DataType.floatToBfloat16(a + DataType.bfloat16ToFloat(into.get(SHORT, b))));
                }
            }
            case FLOAT16 -> {
                for (long i = 0; i < count; i++) {
                    float a = Float.float16ToFloat(incoming.get(SHORT, incomingOffset + i * 2));
                    long b = intoOffset + i * 2;
                    into.set(SHORT, b, Float.floatToFloat16(a + Float.float16ToFloat(into.get(SHORT, b))));
                }
            }
            case BYTES -> throw new IllegalArgumentException("bytes are never reduced");
        }
    }

    /**
     * Sums floats a block at a time through two heap arrays: the bulk copies in and out and the array loop
     * in between are each vectorized by the JIT, where a per-element loop over the segments is not (about 6x
     * slower, measured by ReductionBenchmark).
     */
    private static void sumFloats(MemorySegment incoming, long incomingOffset, MemorySegment into, long intoOffset,
                                  long count) {
        int block = (int) Math.min(count, BLOCK);
        float[] a = new float[block];
        float[] b = new float[block];
        for (long done = 0; done < count; done += block) {
            int n = (int) Math.min(block, count - done);
            MemorySegment.copy(incoming, FLOAT, incomingOffset + done * 4, a, 0, n);
            MemorySegment.copy(into, FLOAT, intoOffset + done * 4, b, 0, n);
            for (int i = 0; i < n; i++) {
                b[i] = a[i] + b[i];
            }
            MemorySegment.copy(b, 0, into, FLOAT, intoOffset + done * 4, n);
        }
    }

    /** Element {@code index} of a buffer of {@code type} at byte {@code offset}, as a float. */
    public static float get(DataType type, MemorySegment buffer, long offset, long index) {
        return switch (type) {
            case FLOAT32 -> buffer.get(FLOAT, offset + index * 4);
            case BFLOAT16 -> DataType.bfloat16ToFloat(buffer.get(SHORT, offset + index * 2));
            case FLOAT16 -> Float.float16ToFloat(buffer.get(SHORT, offset + index * 2));
            case BYTES -> buffer.get(ValueLayout.JAVA_BYTE, offset + index);
        };
    }

    /** Stores {@code value}, rounded to {@code type}, as element {@code index} of a buffer at byte {@code offset}. */
    public static void set(DataType type, MemorySegment buffer, long offset, long index, float value) {
        switch (type) {
            case FLOAT32 -> buffer.set(FLOAT, offset + index * 4, value);
            case BFLOAT16 -> buffer.set(SHORT, offset + index * 2, DataType.floatToBfloat16(value));
            case FLOAT16 -> buffer.set(SHORT, offset + index * 2, Float.floatToFloat16(value));
            case BYTES -> buffer.set(ValueLayout.JAVA_BYTE, offset + index, (byte) value);
        }
    }
}
