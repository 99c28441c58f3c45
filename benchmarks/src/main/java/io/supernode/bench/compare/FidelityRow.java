package io.supernode.bench.compare;

/**
 * One published measurement beside what the model gives for the same operation.
 *
 * @param what       the operation, e.g. {@code UB 512 B read, same board}
 * @param unit       {@code ns}, {@code us} or {@code GB/s}
 * @param published  the published figure
 * @param modeled    the model's figure, measured the way the publication measured
 * @param tolerance  the relative error the model is held to, e.g. 0.10
 * @param source     where the published figure comes from, with its tag (M measured, C claim)
 */
public record FidelityRow(String what, String unit, double published, double modeled, double tolerance, String source) {

    /** (modeled - published) / published. */
    public double relativeError() {
        return (modeled - published) / published;
    }

    /** Whether the model is within its tolerance of the publication. */
    public boolean within() {
        return Math.abs(relativeError()) <= tolerance;
    }
}
