package io.supernode.bench.compare;

import java.util.Locale;

/** How node 0 gets {@code n} bytes that live in another node's memory. */
public enum Method {
    /** Loads in place: one 8-byte load, or a zero-copy view of the range charged as reading it. */
    UNIFIED_LOAD,
    /** A bulk copy into a local buffer over the load/store fabric. */
    UNIFIED_COPY,
    /** The holder sends, node 0 receives (two-sided, both programs involved). */
    SEND_RECV,
    /** A request to the holder's service, which copies out and replies. */
    RPC_READ,
    /** An RDMA-style read by copy: the holder's NIC answers, no holder software. */
    ONE_SIDED_GET;

    /** The name tables and charts show, e.g. {@code send recv}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }
}
