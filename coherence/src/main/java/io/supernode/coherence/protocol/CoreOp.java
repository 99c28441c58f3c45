package io.supernode.coherence.protocol;

/**
 * A core's request to its cache, outstanding until the protocol completes it.
 *
 * @param event LOAD, STORE or REPLACEMENT
 * @param value the value a STORE writes
 */
public record CoreOp(CacheEvent event, int value) {
}
