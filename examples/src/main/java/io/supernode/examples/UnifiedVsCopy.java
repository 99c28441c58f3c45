package io.supernode.examples;

import io.supernode.gas.path.FabricPair;
import io.supernode.gas.path.PathKind;
import io.supernode.bench.compare.Sweep;
import io.supernode.bench.compare.SweepRow;

import java.util.Locale;

/**
 * Teaches unified against copy-based access: the same bytes read from a node across the top switch
 * tier, once by load/store over UB and once each by the copy paths a RoCE cluster uses (send/recv,
 * an RPC served by the owner, a one-sided get). The copy paths pay software overhead and host staging
 * on both ends, which dominates small reads; for large ones, the links' bandwidth decides.
 */
public final class UnifiedVsCopy {

    private UnifiedVsCopy() {
    }

    /** Runs the example. */
    public static void main(String[] args) {
        FabricPair pair = FabricPair.UB_VS_ROCE;
        System.out.printf("%s: %s%n", pair.name(), pair.describe());
        System.out.printf("%-9s %-14s %14s %10s%n", "size", "method", "modeled", "messages");
        for (long size : new long[] {8, 4096, 1 << 20}) {
            for (PathKind method : Sweep.PATHS) {
                SweepRow row = Sweep.measure(pair, method, size, 42);
                System.out.printf(Locale.ROOT, "%-9d %-14s %11.2f us %10.1f%n", size,
                        method.name().toLowerCase(Locale.ROOT), row.latencyNanos() / 1e3, row.messages());
            }
        }
    }
}
