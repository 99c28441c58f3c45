package io.supernode.coherence.protocol;

/**
 * The three virtual networks that keep the protocol deadlock-free: requests may wait behind each other,
 * forwarded requests keep point-to-point order, responses are always accepted.
 */
public enum VirtualNetwork {
    /** GetS, GetM, PutS, PutM, PutE: to the directory. */
    REQUEST,
    /** Fwd-GetS, Fwd-GetM, Inv, Put-Ack: from the directory; ordered between each pair of nodes. */
    FORWARD,
    /** Data, Exclusive-Data, Inv-Ack. */
    RESPONSE
}
