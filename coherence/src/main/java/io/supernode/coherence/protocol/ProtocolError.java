package io.supernode.coherence.protocol;

/** An event arrived in a state the protocol has no entry for: a protocol bug, named by state and event. */
public final class ProtocolError extends RuntimeException {

    /** Creates the error. */
    public ProtocolError(String message) {
        super(message);
    }
}
