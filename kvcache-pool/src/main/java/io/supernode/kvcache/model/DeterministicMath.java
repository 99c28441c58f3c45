package io.supernode.kvcache.model;

/**
 * The one transcendental function the model needs, in plain float arithmetic. Java evaluates float
 * arithmetic exactly as IEEE 754 says, on every JVM and in every compiler tier, so this {@code exp}
 * gives the same bits wherever it runs; that is what lets a decode from pooled blocks be compared
 * bitwise with a decode from recomputed ones. {@code Math.exp} promises only one ulp.
 */
final class DeterministicMath {

    private static final float LOG2_E = 1.442_695_04f;
    private static final float LN_2 = 0.693_147_18f;
    private static final float MIN_EXPONENT = -100f;

    private DeterministicMath() {
    }

    /** e to the power {@code x}, for {@code x <= 0}, to about 2e-5 relative: a Taylor series on the fraction of a power of two. */
    static float expNonPositive(float x) {
        if (x < MIN_EXPONENT) {
            return 0f;
        }
        float y = x * LOG2_E;
        float whole = (float) Math.floor(y);
        float t = (y - whole) * LN_2;
        float p = 1f + t * (1f + t * (0.5f + t * (1f / 6 + t * (1f / 24 + t * (1f / 120 + t * (1f / 720))))));
        return Math.scalb(p, (int) whole);
    }
}
