package io.supernode.gas.runtime;

/**
 * The code one node runs, written once for both runtimes (SPMD: every participating node runs the
 * same program and branches on {@link NodeContext#nodeId()}, as MPI programs do).
 */
@FunctionalInterface
public interface NodeProgram {

    /** Runs on one node; blocking calls on {@code ctx} wait in virtual time. */
    void run(NodeContext ctx) throws Exception;
}
