package io.supernode.gas.runtime;

/** How a runtime lets node programs wait and interleave; the two runtimes differ only here. */
sealed interface Scheduler permits DeterministicRuntime.Driver, ConcurrentRuntime.Driver {

    /** A point where the runtime may switch to another node. */
    void yieldPoint(int node);

    /** Waits until a message from {@code source} with {@code tag} may have arrived; the caller retries. */
    void awaitMessage(int node, int source, long tag);

    /** Waits until the signal at {@code signalAddress} may have reached {@code value}; the caller looks again. */
    void awaitSignal(int node, long signalAddress, long value);

    /** Waits a little for a receiver to drain its eager ring; the caller retries its send. */
    void awaitSpace(int node);

    /** Waits until every participating node has reached the barrier. */
    void barrier(int node);
}
