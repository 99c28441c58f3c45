package io.supernode.collectives.data;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reduction kernel's vector loops give the scalar loops' bits: every element, rounding ties,
 * infinities, signed zeros and subnormals, NaN where the scalar loop gives NaN, at any byte offset and any
 * count (whole vectors and a tail), and nothing outside the range changes. This module's tests run with the Vector API resolved (its pom adds it),
 * so the comparison is never vacuous. jqwik prints the seed of any failure.
 */
class ReductionKernelTest {

    private static final int GUARD_BYTES = 64;

    /** A reduction to compare: the type and the operation. */
    record Kernel(DataType type, ReduceOp op) {
    }

    @Provide
    Arbitrary<Kernel> kernels() {
        return Arbitraries.of(new Kernel(DataType.FLOAT32, ReduceOp.SUM), new Kernel(DataType.FLOAT32, ReduceOp.MAX),
                new Kernel(DataType.BFLOAT16, ReduceOp.SUM), new Kernel(DataType.FLOAT16, ReduceOp.SUM));
    }

    @Provide
    Arbitrary<int[]> shapes() {
        return Combinators.combine(Arbitraries.integers().between(0, 300), Arbitraries.integers().between(0, 7),
                Arbitraries.integers().between(0, 7)).as((count, incomingOffset, intoOffset) ->
                new int[] {count, incomingOffset, intoOffset});
    }

    @Test
    void theseTestsRunWithTheVectorApi() {
        assertTrue(Reduction.vectorized(), "this module's surefire argLine must add jdk.incubator.vector");
    }

    /** Edge cases off: the fill draws the special values itself, and jqwik's 500 combinations only log. */
    @Property(tries = 400, edgeCases = EdgeCasesMode.NONE)
    void vectorLoopsGiveTheScalarLoopsBits(@ForAll("kernels") Kernel kernel, @ForAll("shapes") int[] shape,
                                           @ForAll long seed) {
        int count = shape[0];
        long incomingOffset = GUARD_BYTES + shape[1];
        long intoOffset = GUARD_BYTES + shape[2];
        long bytes = (long) count * kernel.type().sizeBytes() + 2 * GUARD_BYTES + 8;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment incoming = arena.allocate(bytes);
            MemorySegment vector = arena.allocate(bytes);
            MemorySegment scalar = arena.allocate(bytes);
            SplittableRandom random = new SplittableRandom(seed);
            fill(incoming, kernel.type(), random);
            fill(vector, kernel.type(), random);
            scalar.copyFrom(vector);
            byte[] before = vector.toArray(ValueLayout.JAVA_BYTE);

            Reduction.reduce(kernel.type(), kernel.op(), incoming, incomingOffset, vector, intoOffset, count);
            Reduction.reduceScalar(kernel.type(), kernel.op(), incoming, incomingOffset, scalar, intoOffset, count);

            int size = kernel.type().sizeBytes();
            int wrong = firstDifference(kernel.type(), scalar, vector, intoOffset, count);
            if (wrong >= 0) {
                long at = intoOffset + (long) wrong * size;
                assertEquals(bits(scalar, at, size), bits(vector, at, size), String.format(
                        "%s element %d of %d: incoming %x, into %x, seed %d", kernel, wrong, count,
                        bits(incoming, incomingOffset + (long) wrong * size, size),
                        Integer.valueOf(bits(before, at, size)), seed));
            }
            byte[] vectorBytes = vector.toArray(ValueLayout.JAVA_BYTE);
            long end = intoOffset + (long) count * size;
            for (int i = 0; i < bytes; i++) {
                if (i < intoOffset || i >= end) {
                    assertEquals(before[i], vectorBytes[i], "byte " + i + " outside the range changed, seed " + seed);
                }
            }
        }
    }

    /**
     * The same comparison over many large buffers, so that the loops run as the JIT compiles them (the
     * property's short buffers may finish before compilation): 2,000 rounds of 4,099 elements per kernel.
     */
    @Test
    void compiledVectorLoopsGiveTheScalarLoopsBits() {
        long seed = 20261205L;
        SplittableRandom random = new SplittableRandom(seed);
        int count = 4_099;
        for (Kernel kernel : List.of(new Kernel(DataType.FLOAT32, ReduceOp.SUM), new Kernel(DataType.FLOAT32, ReduceOp.MAX),
                new Kernel(DataType.BFLOAT16, ReduceOp.SUM))) {
            int size = kernel.type().sizeBytes();
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment incoming = arena.allocate((long) count * size + 8);
                MemorySegment vector = arena.allocate((long) count * size + 8);
                MemorySegment scalar = arena.allocate((long) count * size + 8);
                for (int round = 0; round < 2_000; round++) {
                    fill(incoming, kernel.type(), random);
                    fill(vector, kernel.type(), random);
                    scalar.copyFrom(vector);
                    int shift = round % 3;
                    Reduction.reduce(kernel.type(), kernel.op(), incoming, shift, vector, 2 * shift, count);
                    Reduction.reduceScalar(kernel.type(), kernel.op(), incoming, shift, scalar, 2 * shift, count);
                    int wrong = firstDifference(kernel.type(), scalar, vector, 2L * shift, count);
                    if (wrong >= 0) {
                        long at = 2L * shift + (long) wrong * size;
                        assertEquals(bits(scalar, at, size), bits(vector, at, size),
                                kernel + " round " + round + " element " + wrong + ", seed " + seed);
                    }
                }
            }
        }
    }

    @Test
    void bfloat16TiesRoundToEven() {
        try (Arena arena = Arena.ofConfined()) {
            int count = 256;
            MemorySegment incoming = arena.allocate(count * 2L);
            MemorySegment into = arena.allocate(count * 2L);
            for (int i = 0; i < count; i++) {
                // bfloat16 keeps 7 fraction bits, so 2^-8 is half an ulp at 1: 1 + 2^-8 lies midway between
                // 1 and 1 + 2^-7 and rounds down to the even 1; (1 + 2^-7) + 2^-8 lies midway between
                // 1 + 2^-7 and 1 + 2^-6 and rounds up to the even 1 + 2^-6.
                incoming.setAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED, i, DataType.floatToBfloat16(0x1p-8f));
                into.setAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED, i, DataType.floatToBfloat16(i % 2 == 0 ? 1f : 1f + 0x1p-7f));
            }
            Reduction.reduce(DataType.BFLOAT16, ReduceOp.SUM, incoming, 0, into, 0, count);
            for (int i = 0; i < count; i++) {
                float sum = DataType.bfloat16ToFloat(into.getAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED, i));
                assertEquals(i % 2 == 0 ? 1f : 1f + 0x1p-6f, sum, "element " + i);
            }
        }
    }

    /**
     * The first of {@code count} elements at byte {@code offset} whose bits differ between the two buffers
     * (two NaNs count as alike), or -1.
     */
    private static int firstDifference(DataType type, MemorySegment scalar, MemorySegment vector, long offset, int count) {
        int size = type.sizeBytes();
        for (int i = 0; i < count; i++) {
            int expected = bits(scalar, offset + (long) i * size, size);
            int actual = bits(vector, offset + (long) i * size, size);
            if (expected != actual && !(isNaN(type, expected) && isNaN(type, actual))) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Whether {@code bits} are a NaN of the type. Which NaN a sum of NaNs gives is left open by the Java
     * language (and by IEEE 754 when both operands are NaNs): the JIT may swap an addition's operands, and
     * x86 keeps the first operand's payload. So NaN results are compared as NaNs, every other result bit
     * for bit.
     */
    private static boolean isNaN(DataType type, int bits) {
        return switch (type) {
            case FLOAT32 -> (bits & 0x7FFFFFFF) > 0x7F800000;
            case BFLOAT16 -> (bits & 0x7FFF) > 0x7F80;
            case FLOAT16 -> (bits & 0x7FFF) > 0x7C00;
            case BYTES -> false;
        };
    }

    private static int bits(MemorySegment buffer, long at, int size) {
        return size == 4 ? buffer.get(ValueLayout.JAVA_INT_UNALIGNED, at)
                : buffer.get(ValueLayout.JAVA_SHORT_UNALIGNED, at) & 0xFFFF;
    }

    private static int bits(byte[] buffer, long at, int size) {
        return bits(MemorySegment.ofArray(buffer), at, size);
    }

    /** Random bits of the type, one in four drawn from the special values where rounding and NaNs differ. */
    private static void fill(MemorySegment buffer, DataType type, SplittableRandom random) {
        float[] specials = {Float.NaN, Float.intBitsToFloat(0x7F800001), Float.intBitsToFloat(0xFFC12345),
            Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f, Float.MIN_VALUE, -Float.MIN_NORMAL,
            Float.MAX_VALUE, 1f, 1f + 0x1p-8f, 0x1p-8f, 3f};
        int size = type.sizeBytes();
        for (long at = 0; at + size <= buffer.byteSize(); at += size) {
            boolean special = random.nextInt(4) == 0;
            float value = special ? specials[random.nextInt(specials.length)]
                    : (float) random.nextDouble(-4, 4) * (float) Math.scalb(1.0, random.nextInt(-20, 20));
            if (size == 4) {
                buffer.set(ValueLayout.JAVA_FLOAT_UNALIGNED, at, value);
            } else {
                short bits = type == DataType.BFLOAT16 ? DataType.floatToBfloat16(value) : Float.floatToFloat16(value);
                buffer.set(ValueLayout.JAVA_SHORT_UNALIGNED, at, bits);
            }
        }
    }
}
