package io.supernode.collectives.schedule;

import io.supernode.gas.fault.ConfigFault;

import java.util.Arrays;
import java.util.Locale;

/**
 * The collective operations, with nccl-tests' names and bus-bandwidth factors. nccl-tests reports
 * {@code algbw = S / t} with S the operation's size (an all-reduce's buffer; an all-gather's,
 * reduce-scatter's or all-to-all's whole buffer of n blocks) and {@code busbw = algbw x factor}, the factor
 * turning it into what each rank's link must carry: {@code 2(n-1)/n} for all-reduce, {@code (n-1)/n} for
 * all-gather, reduce-scatter and all-to-all, 1 for broadcast and reduce (nccl-tests, doc/PERFORMANCE.md), and
 * 0 for a barrier, which moves no data.
 */
public enum Op {
    /** Every rank ends with the element-wise reduction of every rank's buffer. */
    ALL_REDUCE("all_reduce", true),
    /** Rank r ends with block r of the reduction of every rank's n blocks. */
    REDUCE_SCATTER("reduce_scatter", true),
    /** Every rank ends with every rank's block, in rank order. */
    ALL_GATHER("all_gather", false),
    /** Rank r's block j goes to rank j, landing as its block r. */
    ALL_TO_ALL("alltoall", false),
    /** Every rank ends with the root's buffer. */
    BROADCAST("broadcast", false),
    /** The root ends with the element-wise reduction of every rank's buffer. */
    REDUCE("reduce", true),
    /**
     * No rank leaves before every rank has arrived: a dissemination barrier (Hensgen, Finkel and Manber), in round
     * k rank r signals rank r + 2^k with a one-byte flag; it carries no data, so it has no bandwidth.
     */
    BARRIER("barrier", false);

    private final String ncclName;
    private final boolean reduces;

    Op(String ncclName, boolean reduces) {
        this.ncclName = ncclName;
        this.reduces = reduces;
    }

    /** nccl-tests' name, as {@code -o} takes it. */
    public String ncclName() {
        return ncclName;
    }

    /** Whether the operation combines elements (and so needs a reduction and a float type). */
    public boolean reduces() {
        return reduces;
    }

    /** Whether the operation has a root rank. */
    public boolean rooted() {
        return this == BROADCAST || this == REDUCE;
    }

    /** The bus-bandwidth factor as a formula in the ranks n, as nccl-tests' documentation writes it. */
    public String busFactorFormula() {
        return switch (this) {
            case ALL_REDUCE -> "2(n-1)/n";
            case REDUCE_SCATTER, ALL_GATHER, ALL_TO_ALL -> "(n-1)/n";
            case BROADCAST, REDUCE -> "1";
            case BARRIER -> "0";
        };
    }

    /** nccl-tests' bus-bandwidth factor for {@code ranks} ranks. */
    public double busFactor(int ranks) {
        return switch (this) {
            case ALL_REDUCE -> 2.0 * (ranks - 1) / ranks;
            case REDUCE_SCATTER, ALL_GATHER, ALL_TO_ALL -> (ranks - 1) / (double) ranks;
            case BROADCAST, REDUCE -> 1.0;
            case BARRIER -> 0.0;
        };
    }

    /**
     * The operation with this name: nccl-tests' ({@code all_reduce}), the constant's, or without the
     * underscore ({@code allreduce}), any case.
     *
     * @throws ConfigFault naming the known operations
     */
    public static Op byName(String name) {
        String wanted = name == null ? "" : name.trim().toLowerCase(Locale.ROOT).replace("-", "_");
        return Arrays.stream(values())
                .filter(o -> o.ncclName.equals(wanted) || o.ncclName.replace("_", "").equals(wanted.replace("_", "")))
                .findFirst()
                .orElseThrow(() -> new ConfigFault("unknown collective '" + name + "' (known: "
                        + String.join(", ", Arrays.stream(values()).map(Op::ncclName).toList()) + ")"));
    }
}
