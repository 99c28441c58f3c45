package io.supernode.coherence.protocol;

/**
 * One cache's copy of one line.
 *
 * @param state its protocol state
 * @param value the data it holds (meaningful when readable)
 * @param acks  Inv-Acks still expected: the ack count from Data minus the Inv-Acks received (negative while
 *              Inv-Acks overtake the Data, as they may)
 */
public record CacheLine(CacheState state, int value, int acks) {

    /** An invalid line. */
    public static final CacheLine INVALID = new CacheLine(CacheState.I, 0, 0);
}
