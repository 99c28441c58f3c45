package io.supernode.gas.stats;

/** The kinds of operation the stats count separately. */
public enum OpKind {
    /** A typed load (byte .. double). */
    LOAD,
    /** A typed store; posted, complete at the next fence. */
    STORE,
    /** A compare-and-set, get-and-add or get-and-set. */
    ATOMIC,
    /** A fence: waits for posted stores to complete. */
    FENCE,
    /** A bulk copy from the global address space into a local segment. */
    BULK_READ,
    /** A bulk copy from a local segment into the global address space. */
    BULK_WRITE,
    /** A zero-copy view of a range, charged as reading it. */
    VIEW,
    /** A translation-cache miss: the page-table walk, charged as an 8-byte read from the region's home node. */
    TRANSLATION_MISS,
    /** A two-sided message sent (copy path). */
    SEND,
    /** A two-sided message received (copy path), from the call to the data in place. */
    RECV,
    /** A remote read served by the owner's service (copy path): request, copy out, reply, copy in. */
    RPC_READ,
    /** A remote write served by the owner's service (copy path). */
    RPC_WRITE,
    /** A remote atomic executed by the owner's service (copy path). */
    RPC_ATOMIC,
    /** A one-sided get by copy, RDMA-like: no owner software involved (copy path). */
    GET,
    /** A one-sided put by copy (copy path). */
    PUT,
    /** A one-sided atomic executed by the owner's NIC (copy path). */
    NIC_ATOMIC
}
