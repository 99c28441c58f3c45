package io.supernode.collectives.data;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

/**
 * The reduction kernel's vector loops, through the Vector API (module {@code jdk.incubator.vector}). The JIT
 * does not vectorize a loop over two memory segments by itself (it cannot rule out that they overlap), so
 * without these loops a sum runs element by element or through heap copies. Loaded only when the running
 * JVM resolved the module ({@link Reduction#vectorized()}); every loop here gives the same bits as the
 * scalar one in {@link Reduction}, and returns how many elements it did so that the caller finishes the
 * tail shorter than a vector.
 */
final class VectorReduction {

    private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> INTS = IntVector.SPECIES_PREFERRED;
    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;
    /** The upper half of an int: the bfloat16 at the higher address of a little-endian pair. */
    private static final int HIGH_HALF = 0xFFFF0000;
    private static final int HALF_BITS = 16;

    private VectorReduction() {
    }

    /**
     * {@code into[i] = incoming[i] + into[i]} over whole vectors of floats; returns the elements done. Sum
     * and max are two loops, not one taking the operator: the JIT turns a lanewise operation into vector
     * instructions only when its operator is a constant, and a parameter made the loop 40x slower.
     */
    static long sumFloats(MemorySegment incoming, long incomingOffset, MemorySegment into, long intoOffset,
                          long count) {
        int lanes = FLOATS.length();
        long whole = count - count % lanes;
        for (long i = 0; i < whole; i += lanes) {
            long a = incomingOffset + i * Float.BYTES;
            long b = intoOffset + i * Float.BYTES;
            FloatVector.fromMemorySegment(FLOATS, incoming, a, ORDER)
                    .add(FloatVector.fromMemorySegment(FLOATS, into, b, ORDER))
                    .intoMemorySegment(into, b, ORDER);
        }
        return whole;
    }

    /** {@code into[i] = max(incoming[i], into[i])} as {@link Math#max(float, float)} takes it; returns the elements done. */
    static long maxFloats(MemorySegment incoming, long incomingOffset, MemorySegment into, long intoOffset,
                          long count) {
        int lanes = FLOATS.length();
        long whole = count - count % lanes;
        for (long i = 0; i < whole; i += lanes) {
            long a = incomingOffset + i * Float.BYTES;
            long b = intoOffset + i * Float.BYTES;
            FloatVector.fromMemorySegment(FLOATS, incoming, a, ORDER)
                    .max(FloatVector.fromMemorySegment(FLOATS, into, b, ORDER))
                    .intoMemorySegment(into, b, ORDER);
        }
        return whole;
    }

    /**
     * Sums bfloat16 pairs: each int lane holds two elements, the lower address in its low half. A bfloat16
     * widens to float by moving into the high half, so both elements of a pair widen with a shift and a
     * mask, add as floats and round back, without changing the vector's shape; returns the elements done.
     */
    static long sumBfloat16(MemorySegment incoming, long incomingOffset, MemorySegment into, long intoOffset,
                            long count) {
        int elementsPerVector = INTS.length() * 2;
        long whole = count - count % elementsPerVector;
        for (long i = 0; i < whole; i += elementsPerVector) {
            long a = incomingOffset + i * 2;
            long b = intoOffset + i * 2;
            IntVector x = IntVector.fromMemorySegment(INTS, incoming, a, ORDER);
            IntVector y = IntVector.fromMemorySegment(INTS, into, b, ORDER);
            FloatVector low = x.lanewise(VectorOperators.LSHL, HALF_BITS).reinterpretAsFloats()
                    .add(y.lanewise(VectorOperators.LSHL, HALF_BITS).reinterpretAsFloats());
            FloatVector high = x.and(HIGH_HALF).reinterpretAsFloats().add(y.and(HIGH_HALF).reinterpretAsFloats());
            roundToBfloat16(high).lanewise(VectorOperators.LSHL, HALF_BITS).or(roundToBfloat16(low))
                    .intoMemorySegment(into, b, ORDER);
        }
        return whole;
    }

    /**
     * Each lane rounded to bfloat16 to nearest even, in the low half, as {@link DataType#floatToBfloat16(float)}
     * does. Its NaN case is not needed here: a sum of widened bfloat16s is NaN only from a NaN operand (whose
     * low half is zero) or from opposite infinities (the default NaN, low half zero too), so the rounding
     * bias never carries into a NaN's exponent, and the addition has already made it quiet.
     */
    private static IntVector roundToBfloat16(FloatVector values) {
        IntVector bits = values.reinterpretAsInts();
        return bits.add(bits.lanewise(VectorOperators.LSHR, HALF_BITS).and(1).add(0x7FFF))
                .lanewise(VectorOperators.LSHR, HALF_BITS);
    }
}
