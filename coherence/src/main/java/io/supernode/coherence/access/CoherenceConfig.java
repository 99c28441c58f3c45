package io.supernode.coherence.access;

import io.supernode.gas.fault.ConfigFault;
import io.supernode.gas.memory.ByteSize;

/**
 * The shape of every node's line cache in a coherence domain.
 *
 * @param lineSizeBytes   bytes per line: a power of two from 16 to 4096 (a line must lie in one page)
 * @param linesPerNode    lines each node's cache holds; the least recently used one is evicted (PutS, PutE
 *                        or PutM) to make room
 */
public record CoherenceConfig(int lineSizeBytes, int linesPerNode) {

    /** 128-byte lines (an accelerator L2's line) and 4,096 of them per node: 512 KiB of node memory each. */
    public static final CoherenceConfig DEFAULT = new CoherenceConfig(128, 4096);

    /** Validates the shape. */
    public CoherenceConfig {
        if (lineSizeBytes < 16 || lineSizeBytes > 4096 || Integer.bitCount(lineSizeBytes) != 1) {
            throw new ConfigFault("coherence line size must be a power of two from 16 to 4096 bytes, got " + lineSizeBytes);
        }
        if (linesPerNode < 1) {
            throw new ConfigFault("a coherence cache needs at least one line per node, got " + linesPerNode);
        }
    }

    /** Bytes of node memory each node's cache takes. */
    public long cacheBytesPerNode() {
        return (long) lineSizeBytes * linesPerNode;
    }

    @Override
    public String toString() {
        return linesPerNode + " lines of " + lineSizeBytes + " B (" + ByteSize.format(cacheBytesPerNode()) + ") per node";
    }
}
