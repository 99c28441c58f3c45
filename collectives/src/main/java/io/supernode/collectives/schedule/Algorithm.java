package io.supernode.collectives.schedule;

import io.supernode.gas.fault.ConfigFault;

import java.util.Arrays;
import java.util.Locale;

/** How a collective's data travels between ranks. */
public enum Algorithm {
    /**
     * Rank r sends only to rank r + 1. All-reduce is a reduce-scatter then an all-gather, 2(n-1) steps of
     * one n-th of the buffer each; broadcast and reduce are a chain from or to the root. NCCL's ring.
     */
    RING,
    /**
     * Every rank writes straight into every other rank's buffer in one step: all-to-all and all-gather as
     * n - 1 puts, and the one-shot all-reduce of symmetric-memory and NVSHMEM kernels (every rank gathers
     * every buffer, then reduces them itself in rank order).
     */
    DIRECT,
    /**
     * All-reduce in two direct steps, as symmetric-memory kernels do for mid sizes: every rank puts block k
     * of its buffer to rank k, which reduces the n copies in rank order, then puts the result to every
     * rank: a direct reduce-scatter and a direct all-gather.
     */
    TWO_SHOT,
    /**
     * All-reduce over a two-tier machine in three phases, as NCCL's hierarchical and tree-of-rings schemes do:
     * a ring reduce-scatter inside every first-tier domain (g ranks), a ring all-reduce of each 1/g block across
     * the domains among the ranks holding it (one per domain, each on its own port or NIC), and a ring
     * all-gather inside every domain. Needs a team of whole domains (see {@code Team.groupSize}).
     */
    HIERARCHICAL,
    /**
     * All-reduce over NCCL's double binary tree: each half of the buffer is reduced up one binary tree and
     * broadcast back down it; the second tree mirrors the first (rank r there is rank n - 1 - r here), so a rank
     * that is a leaf of one is inside the other and every rank's port carries about the same. Few steps per
     * byte (2 log n levels), so it is the latency-bound choice.
     */
    TREE,
    /**
     * All-reduce by recursive halving and doubling (Rabenseifner): log2 n steps in which partners r and r xor m
     * swap and reduce half of what they hold, then log2 n steps in which they swap what they have back. Needs a
     * power-of-two team.
     */
    RHD,
    /**
     * All-reduce reduced in the switches (NCCL's NVLS over NVLink SHARP), where the link profile says its switches
     * reduce at a known rate and the team is under one first-tier switch: every rank load-reduces its block from
     * every rank through the switch and stores the result to all of them with one multicast. Its bytes move as the
     * two-shot's do (the rank owning a block reduces every rank's copy in rank order, then puts it to every rank);
     * its time is the switch's: a port carries each byte about once, not twice. Unified path only.
     */
    NVLS;

    /**
     * The algorithm with this name, any case.
     *
     * @throws ConfigFault naming the known algorithms
     */
    public static Algorithm byName(String name) {
        String wanted = name == null ? "" : name.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        if (wanted.equals("TWOSHOT")) {
            return TWO_SHOT;
        }
        if (wanted.equals("RECURSIVE_HALVING_DOUBLING") || wanted.equals("HALVING_DOUBLING")) {
            return RHD;
        }
        return Arrays.stream(values()).filter(a -> a.name().equals(wanted)).findFirst()
                .orElseThrow(() -> new ConfigFault("unknown algorithm '" + name + "' (known: ring, direct, two_shot, hierarchical, tree, rhd, nvls)"));
    }
}
