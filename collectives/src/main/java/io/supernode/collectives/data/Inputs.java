package io.supernode.collectives.data;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The deterministic data each rank contributes: element {@code i} of rank {@code r} is a value in [-1, 1)
 * with a full mantissa, a function of the seed, the rank and the index only, so every path and every run
 * starts from the same bytes and sums round differently in different orders (a test can see the order).
 * Bytes are the value's low eight bits.
 */
public final class Inputs {

    private Inputs() {
    }

    /** Element {@code index} of rank {@code rank}'s input, rounded to {@code type}. */
    public static float value(DataType type, long seed, int rank, long index) {
        long z = seed * 0x9E3779B97F4A7C15L + rank * 0xBF58476D1CE4E5B9L + index * 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        if (type == DataType.BYTES) {
            return (byte) z;
        }
        return type.round((z >>> 40) / (float) (1 << 23) - 1f);
    }

    /** Writes elements {@code first .. first + count - 1} of rank {@code rank}'s input at byte {@code offset}. */
    public static void fill(DataType type, long seed, int rank, long first, long count, MemorySegment buffer, long offset) {
        // Built on the heap a block at a time and copied in bulk: per-element stores into the segment would
        // each pay a bounds check, and inputs are filled for every rank of every run.
        int block = 1 << 14;
        for (long done = 0; done < count; done += block) {
            int n = (int) Math.min(block, count - done);
            switch (type) {
                case FLOAT32 -> {
                    float[] values = new float[n];
                    for (int i = 0; i < n; i++) {
                        values[i] = value(type, seed, rank, first + done + i);
                    }
                    MemorySegment.copy(values, 0, buffer, ValueLayout.JAVA_FLOAT_UNALIGNED, offset + done * 4, n);
                }
                case BFLOAT16, FLOAT16 -> {
                    short[] values = new short[n];
                    for (int i = 0; i < n; i++) {
                        float v = value(type, seed, rank, first + done + i);
                        values[i] = type == DataType.BFLOAT16 ? DataType.floatToBfloat16(v) : Float.floatToFloat16(v);
                    }
                    MemorySegment.copy(values, 0, buffer, ValueLayout.JAVA_SHORT_UNALIGNED, offset + done * 2, n);
                }
                case BYTES -> {
                    byte[] values = new byte[n];
                    for (int i = 0; i < n; i++) {
                        values[i] = (byte) value(type, seed, rank, first + done + i);
                    }
                    MemorySegment.copy(values, 0, buffer, ValueLayout.JAVA_BYTE, offset + done, n);
                }
            }
        }
    }
}
