package io.supernode.collectives.moe;

/**
 * The 8-bit float DeepEP dispatches in: OCP FP8 E4M3 ("e4m3fn"), 1 sign, 4 exponent (bias 7) and 3 mantissa
 * bits, no infinities, largest finite 448, NaN at S.1111.111. Conversion rounds to nearest, ties to even, and
 * saturates at +-448, as a scaled cast does.
 */
final class Fp8E4m3 {

    /** The largest finite value. */
    static final float MAX = 448f;

    /** Every positive finite code's value, codes 0x00 .. 0x7E in increasing order. */
    private static final float[] POSITIVE = new float[0x7F];

    static {
        for (int code = 0; code < POSITIVE.length; code++) {
            int exponent = code >>> 3;
            int mantissa = code & 7;
            POSITIVE[code] = exponent == 0 ? mantissa / 8f * 0x1p-6f : (1 + mantissa / 8f) * Math.scalb(1f, exponent - 7);
        }
    }

    private Fp8E4m3() {
    }

    /** {@code value} as E4M3 bits; NaN stays NaN. */
    static byte encode(float value) {
        if (Float.isNaN(value)) {
            return (byte) 0x7F;
        }
        int bits = Float.floatToRawIntBits(value);
        int sign = (bits >>> 24) & 0x80;
        float magnitude = Math.abs(value);
        if (magnitude >= MAX) {
            return (byte) (sign | 0x7E);
        }
        int exponent = ((bits >>> 23) & 0xFF) - 127;
        int code;
        if (exponent < -6) {
            // Subnormal: multiples of 2^-9, rounded to nearest even (8 of them make the smallest normal, code 8).
            code = (int) Math.rint(magnitude * 512f);
        } else {
            // Keep 3 of the 23 mantissa bits, rounding the 20 dropped ones to nearest even; a carry out of the
            // mantissa moves to the next binade, which the code's layout does by itself.
            int mantissa = bits & 0x7FFFFF;
            int kept = mantissa >>> 20;
            int dropped = mantissa & 0xFFFFF;
            code = ((exponent + 7) << 3) + kept;
            if (dropped > 0x80000 || dropped == 0x80000 && (kept & 1) == 1) {
                code++;
            }
            code = Math.min(code, 0x7E);
        }
        return (byte) (sign | code);
    }

    /** The value of E4M3 bits (exact). */
    static float decode(byte bits) {
        int code = bits & 0x7F;
        if (code == 0x7F) {
            return Float.NaN;
        }
        float magnitude = POSITIVE[code];
        return (bits & 0x80) != 0 ? -magnitude : magnitude;
    }
}
