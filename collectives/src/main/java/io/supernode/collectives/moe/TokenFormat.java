package io.supernode.collectives.moe;

import io.supernode.collectives.data.DataType;
import io.supernode.gas.fault.ConfigFault;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Locale;

/**
 * How a token's hidden vector travels in dispatch: the data, then (for the 8-bit formats) one float scale per
 * {@link #SCALE_BLOCK} channels, as DeepEP's FP8 dispatch carries it ({@code hidden + hidden / 128 * 4} bytes).
 * A block's scale is its largest magnitude over the format's largest value (at least {@link #MIN_AMAX} over it,
 * as DeepEP clamps), every channel is divided by it and rounded to the format, and the receiver multiplies back.
 * Combine always returns bfloat16.
 */
public enum TokenFormat {
    /** FP8 E4M3 with a float scale per 128 channels (DeepEP's dispatch format). */
    FP8("fp8"),
    /** INT8 (round to nearest even, clamped to +-127) with a float scale per 128 channels. */
    INT8("int8"),
    /** bfloat16, no scales. */
    BF16("bf16");

    /** Channels that share one scale. */
    public static final int SCALE_BLOCK = 128;
    /** The smallest block maximum a scale is taken from (C: DeepEP's per_token_cast_to_fp8 clamps amax at 1e-4). */
    static final float MIN_AMAX = 1e-4f;

    private final String label;

    TokenFormat(String label) {
        this.label = label;
    }

    /** The name the command line takes and prints. */
    public String label() {
        return label;
    }

    /** Bytes of one token's data and scales at {@code hidden} channels. */
    public long payloadBytes(int hidden) {
        return this == BF16 ? 2L * hidden : hidden + (long) hidden / SCALE_BLOCK * Float.BYTES;
    }

    /**
     * Writes {@code values} (one token's channels) in this format at {@code offset} of {@code into}: data, then
     * scales. Built on the heap and copied in bulk: per-element stores into a segment each pay a bounds check.
     */
    void encode(float[] values, MemorySegment into, long offset) {
        int hidden = values.length;
        if (this == BF16) {
            short[] data = new short[hidden];
            for (int i = 0; i < hidden; i++) {
                data[i] = DataType.floatToBfloat16(values[i]);
            }
            MemorySegment.copy(data, 0, into, ValueLayout.JAVA_SHORT_UNALIGNED, offset, hidden);
            return;
        }
        float largest = this == FP8 ? Fp8E4m3.MAX : 127f;
        byte[] data = new byte[hidden];
        float[] scales = new float[hidden / SCALE_BLOCK];
        for (int block = 0; block < scales.length; block++) {
            float amax = MIN_AMAX;
            for (int i = block * SCALE_BLOCK; i < (block + 1) * SCALE_BLOCK; i++) {
                amax = Math.max(amax, Math.abs(values[i]));
            }
            float scale = amax / largest;
            for (int i = block * SCALE_BLOCK; i < (block + 1) * SCALE_BLOCK; i++) {
                float scaled = values[i] / scale;
                data[i] = this == FP8 ? Fp8E4m3.encode(scaled) : (byte) Math.clamp(Math.rint(scaled), -127, 127);
            }
            scales[block] = scale;
        }
        MemorySegment.copy(data, 0, into, ValueLayout.JAVA_BYTE, offset, hidden);
        MemorySegment.copy(scales, 0, into, ValueLayout.JAVA_FLOAT_UNALIGNED, offset + hidden, scales.length);
    }

    /** Reads one token of {@code into.length} channels in this format at {@code offset} of {@code from}. */
    void decode(MemorySegment from, long offset, float[] into) {
        int hidden = into.length;
        if (this == BF16) {
            short[] data = new short[hidden];
            MemorySegment.copy(from, ValueLayout.JAVA_SHORT_UNALIGNED, offset, data, 0, hidden);
            for (int i = 0; i < hidden; i++) {
                into[i] = DataType.bfloat16ToFloat(data[i]);
            }
            return;
        }
        byte[] data = new byte[hidden];
        float[] scales = new float[hidden / SCALE_BLOCK];
        MemorySegment.copy(from, ValueLayout.JAVA_BYTE, offset, data, 0, hidden);
        MemorySegment.copy(from, ValueLayout.JAVA_FLOAT_UNALIGNED, offset + hidden, scales, 0, scales.length);
        for (int i = 0; i < hidden; i++) {
            float scale = scales[i / SCALE_BLOCK];
            into[i] = (this == FP8 ? Fp8E4m3.decode(data[i]) : data[i]) * scale;
        }
    }

    /**
     * The format with this name ({@code fp8}, {@code int8}, {@code bf16}), any case.
     *
     * @throws ConfigFault naming the known formats
     */
    public static TokenFormat byName(String name) {
        String wanted = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        for (TokenFormat f : values()) {
            if (f.label.equals(wanted)) {
                return f;
            }
        }
        throw new ConfigFault("unknown dispatch format '" + name + "' (known: fp8, int8, bf16)");
    }
}
