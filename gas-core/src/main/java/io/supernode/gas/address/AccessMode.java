package io.supernode.gas.address;

/** How nodes reach a region's memory. */
public enum AccessMode {
    /** Every access goes to the home memory over the fabric (the default). */
    UNCACHED,
    /**
     * Nodes cache the region's lines and a coherence protocol keeps the copies consistent. Such a region
     * is reached only through its coherence domain (the {@code coherence} module): a plain load, store,
     * bulk copy or message to it would bypass the protocol and is refused.
     */
    COHERENT
}
