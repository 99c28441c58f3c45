package io.supernode.gas;

import io.supernode.gas.fabric.Topology;
import io.supernode.gas.fault.ConfigFault;
import io.supernode.gas.memory.ByteSize;
import io.supernode.gas.stats.HostTiming;

/**
 * Everything needed to boot a machine.
 *
 * @param name                    shown by tools, e.g. {@code cloudmatrix384}
 * @param topology                nodes, switch tiers and profiles
 * @param memoryBytesPerNode      nominal memory (HBM) of each node; reserved, not committed
 * @param pageSizeBytes           default page size of regions (power of two, at least 4 KiB)
 * @param translationCacheEntries entries of each node's translation cache (power of two)
 * @param hostTiming              which operations are timed on the host clock
 * @param seed                    seed of every random choice made by runs on this machine
 */
public record SupernodeConfig(String name, Topology topology, long memoryBytesPerNode, long pageSizeBytes,
                              int translationCacheEntries, HostTiming hostTiming, long seed) {

    /** Default page size: 64 KiB, a common accelerator large-page size (assumption). */
    public static final long DEFAULT_PAGE_BYTES = 64 * 1024;
    /** Default translation cache: 512 entries per node (assumption; 32 MiB of reach at 64 KiB pages). */
    public static final int DEFAULT_TRANSLATION_ENTRIES = 512;

    /** The largest translation cache a node may have: 2^20 entries (A: real TLBs hold thousands). */
    public static final int MAX_TRANSLATION_ENTRIES = 1 << 20;
    /**
     * The most translation-cache entries of all nodes together: 2^26 (A: 512 MiB of heap, 8 bytes each),
     * so that a machine is refused before its caches run the host out of memory.
     */
    public static final long MAX_TOTAL_TRANSLATION_ENTRIES = 1L << 26;

    /** Validates the configuration. */
    public SupernodeConfig {
        if (name == null || name.isBlank()) {
            throw new ConfigFault("a machine needs a name");
        }
        if (topology == null || hostTiming == null) {
            throw new ConfigFault("machine " + name + " needs a topology and a host-timing mode");
        }
        if (memoryBytesPerNode < 4096 || memoryBytesPerNode % 4096 != 0 || memoryBytesPerNode > (1L << 48)) {
            throw new ConfigFault("machine " + name + ": memory per node must be a multiple of 4 KiB between 4 KiB and "
                    + "256 TiB, got " + ByteSize.format(memoryBytesPerNode));
        }
        if (pageSizeBytes < 4096 || Long.bitCount(pageSizeBytes) != 1 || pageSizeBytes > memoryBytesPerNode) {
            throw new ConfigFault("machine " + name + ": page size must be a power of two from 4 KiB up to the memory "
                    + "per node, got " + pageSizeBytes);
        }
        if (translationCacheEntries < 1 || Integer.bitCount(translationCacheEntries) != 1
                || translationCacheEntries > MAX_TRANSLATION_ENTRIES) {
            throw new ConfigFault("machine " + name + ": translation cache entries must be a power of two up to "
                    + MAX_TRANSLATION_ENTRIES + ", got " + translationCacheEntries);
        }
        if ((long) translationCacheEntries * topology.nodeCount() > MAX_TOTAL_TRANSLATION_ENTRIES) {
            throw new ConfigFault("machine " + name + ": " + topology.nodeCount() + " nodes x " + translationCacheEntries
                    + " translation cache entries exceed " + MAX_TOTAL_TRANSLATION_ENTRIES + " in all");
        }
    }

    /** This config with another memory size per node. */
    public SupernodeConfig withMemoryPerNode(long bytes) {
        return new SupernodeConfig(name, topology, bytes, pageSizeBytes, translationCacheEntries, hostTiming, seed);
    }

    /** This config with another default page size. */
    public SupernodeConfig withPageSize(long bytes) {
        return new SupernodeConfig(name, topology, memoryBytesPerNode, bytes, translationCacheEntries, hostTiming, seed);
    }

    /** This config with another translation cache size. */
    public SupernodeConfig withTranslationCacheEntries(int entries) {
        return new SupernodeConfig(name, topology, memoryBytesPerNode, pageSizeBytes, entries, hostTiming, seed);
    }

    /** This config with another host-timing mode. */
    public SupernodeConfig withHostTiming(HostTiming timing) {
        return new SupernodeConfig(name, topology, memoryBytesPerNode, pageSizeBytes, translationCacheEntries, timing, seed);
    }

    /** This config with another seed. */
    public SupernodeConfig withSeed(long newSeed) {
        return new SupernodeConfig(name, topology, memoryBytesPerNode, pageSizeBytes, translationCacheEntries, hostTiming, newSeed);
    }

    /** Nominal memory of the whole machine. */
    public long nominalMemoryBytes() {
        return memoryBytesPerNode * topology.nodeCount();
    }
}
