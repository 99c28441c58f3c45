package io.supernode.gas.runtime;

/** A node program failed, deadlocked or ran past its step bound; the message names the node and the seed. */
public final class NodeProgramFailure extends RuntimeException {

    /** Creates the failure. */
    public NodeProgramFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
