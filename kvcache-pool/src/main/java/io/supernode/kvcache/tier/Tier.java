package io.supernode.kvcache.tier;

import io.supernode.kvcache.KvNames;

/**
 * Where a KV block can live, fastest first. Blocks are computed into HBM; a block evicted from one tier is demoted
 * to the next, and a hit in a lower tier promotes the block back into the reading node's HBM.
 */
public enum Tier {
    /** The accelerators' own memory: where attention reads KV. */
    HBM,
    /** The host CPUs' DRAM, reached over the host link (or, on a supernode, the scale-up fabric). */
    DRAM,
    /** The host's NVMe drives, read into HBM through host memory. */
    SSD;

    /** The lower-case name used on the command line and in reports. */
    public String label() {
        return KvNames.label(this);
    }

    /** The tier blocks evicted from this one are demoted to, or null for the last. */
    public Tier below() {
        return this == SSD ? null : values()[ordinal() + 1];
    }
}
