package io.supernode.kvcache.block;

import io.supernode.kvcache.KvConfigException;
import io.supernode.kvcache.KvNames;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** How one K or V element is stored in a block: the three types serving stacks keep KV caches in. */
public enum KvDtype {
    /** IEEE half precision. */
    FP16(2),
    /** bfloat16: the top half of an fp32, rounded to nearest even. */
    BF16(2),
    /** IEEE single precision: what the bitwise reuse checks use. */
    FP32(4);

    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED;
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED;

    private final int sizeBytes;

    KvDtype(int sizeBytes) {
        this.sizeBytes = sizeBytes;
    }

    /** Bytes per element. */
    public int sizeBytes() {
        return sizeBytes;
    }

    /** Reads the element at {@code offsetBytes} as a float. */
    public float get(MemorySegment segment, long offsetBytes) {
        return switch (this) {
            case FP16 -> Float.float16ToFloat(segment.get(SHORT, offsetBytes));
            case BF16 -> Float.intBitsToFloat(segment.get(SHORT, offsetBytes) << 16);
            case FP32 -> segment.get(FLOAT, offsetBytes);
        };
    }

    /** Reads the first {@code count} elements of {@code segment} into {@code into}, as {@link #get} reads each. */
    public void getAll(MemorySegment segment, float[] into, int count) {
        if (this == FP32) {
            MemorySegment.copy(segment, FLOAT, 0, into, 0, count);
            return;
        }
        for (int i = 0; i < count; i++) {
            into[i] = get(segment, (long) i * sizeBytes);
        }
    }

    /**
     * Stores the first {@code count} elements of {@code values} at the front of {@code segment}, each rounded to this
     * type as {@link #round} rounds it: FP32 in one bulk copy, the 16-bit types through one converted array.
     */
    public void putAll(MemorySegment segment, float[] values, int count) {
        if (this == FP32) {
            MemorySegment.copy(values, 0, segment, FLOAT, 0, count);
            return;
        }
        short[] halves = new short[count];
        for (int i = 0; i < count; i++) {
            halves[i] = this == FP16 ? Float.floatToFloat16(values[i]) : toBf16(values[i]);
        }
        MemorySegment.copy(halves, 0, segment, SHORT, 0, count);
    }

    /** {@code value} as it reads back after a store: the rounding this type applies. */
    public float round(float value) {
        return switch (this) {
            case FP16 -> Float.float16ToFloat(Float.floatToFloat16(value));
            case BF16 -> Float.intBitsToFloat(toBf16(value) << 16);
            case FP32 -> value;
        };
    }

    private static short toBf16(float value) {
        int bits = Float.floatToRawIntBits(value);
        // Round to nearest even on the 16 bits that are dropped; the model's values are finite.
        int rounding = 0x7FFF + ((bits >>> 16) & 1);
        return (short) ((bits + rounding) >>> 16);
    }

    /**
     * The type with this name, case-insensitive.
     *
     * @throws KvConfigException naming the known types when there is none
     */
    public static KvDtype byName(String name) {
        return KvNames.parse(values(), name, "KV dtype");
    }
}
