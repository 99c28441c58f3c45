package io.supernode.collectives.data;

import io.supernode.gas.fault.ConfigFault;

import java.util.Arrays;
import java.util.Locale;

/**
 * The element types a collective moves, with the names nccl-tests prints. Reductions compute in float and
 * round to the type after every operation, as NCCL's kernels do for half and bfloat16; {@link #BYTES} is
 * moved only (all-to-all, all-gather, broadcast), never reduced.
 */
public enum DataType {
    /** IEEE 754 binary32. */
    FLOAT32("float", 4),
    /** bfloat16: the high half of a binary32, rounded to nearest even. */
    BFLOAT16("bfloat16", 2),
    /** IEEE 754 binary16. */
    FLOAT16("half", 2),
    /** Raw bytes, for operations that move data without reducing it. */
    BYTES("int8", 1);

    private final String ncclName;
    private final int sizeBytes;

    DataType(String ncclName, int sizeBytes) {
        this.ncclName = ncclName;
        this.sizeBytes = sizeBytes;
    }

    /** The name nccl-tests prints in its type column ({@code float}, {@code bfloat16}, {@code half}, {@code int8}). */
    public String ncclName() {
        return ncclName;
    }

    /** Bytes per element. */
    public int sizeBytes() {
        return sizeBytes;
    }

    /** {@code value} rounded to this type, as a float (a no-op for {@link #FLOAT32}). */
    public float round(float value) {
        return switch (this) {
            case FLOAT32 -> value;
            case BFLOAT16 -> bfloat16ToFloat(floatToBfloat16(value));
            case FLOAT16 -> Float.float16ToFloat(Float.floatToFloat16(value));
            case BYTES -> (byte) value;
        };
    }

    /** The bits of {@code value} as bfloat16, rounded to nearest even; a NaN stays a quiet NaN. */
    public static short floatToBfloat16(float value) {
        int bits = Float.floatToRawIntBits(value);
        if (Float.isNaN(value)) {
            return (short) ((bits >>> 16) | 0x40);
        }
        int roundingBias = 0x7FFF + ((bits >>> 16) & 1);
        return (short) ((bits + roundingBias) >>> 16);
    }

    /** The float a bfloat16's bits stand for (exact). */
    public static float bfloat16ToFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xFFFF) << 16);
    }

    /**
     * The type with this name: nccl-tests' ({@code float}, {@code bfloat16}, {@code half}, {@code int8}) or
     * the constant's, any case.
     *
     * @throws ConfigFault naming the known types
     */
    public static DataType byName(String name) {
        String wanted = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values())
                .filter(t -> t.ncclName.equals(wanted) || t.name().toLowerCase(Locale.ROOT).equals(wanted)
                        || wanted.equals("fp32") && t == FLOAT32 || wanted.equals("bf16") && t == BFLOAT16
                        || wanted.equals("fp16") && t == FLOAT16)
                .findFirst()
                .orElseThrow(() -> new ConfigFault("unknown data type '" + name + "' (known: float, bfloat16, half, int8)"));
    }
}
