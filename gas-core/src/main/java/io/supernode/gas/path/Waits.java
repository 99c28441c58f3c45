package io.supernode.gas.path;

import io.supernode.gas.fault.SupernodeFault;
import io.supernode.gas.fault.UnsupportedAccessFault;

/**
 * How a path waits for the other side of a two-sided transfer: a runtime's scheduler lets the other
 * node's program run; a single thread that drives every node in turn cannot wait, so there a transfer
 * whose other side has not happened yet is a fault naming what is missing.
 */
public interface Waits {

    /** Waits a little for {@code node}'s receiver to drain its eager ring; the caller retries its send. */
    void awaitSpace(int node, int destination);

    /** Waits until a message from {@code source} with {@code tag} may have reached {@code node}; the caller retries. */
    void awaitMessage(int node, int source, long tag);

    /**
     * Waits until the signal at {@code signalAddress} in {@code node}'s memory may have reached
     * {@code value}; the caller looks again.
     */
    void awaitSignal(int node, long signalAddress, long value);

    /** A point where a runtime may switch to another node after a transfer. */
    void yieldPoint(int node);

    /** For one thread driving every node: nothing to wait for, and nothing arrives by waiting. */
    Waits SEQUENTIAL = new Waits() {
        @Override
        public void awaitSpace(int node, int destination) {
            throw new UnsupportedAccessFault("node " + node + " cannot send to node " + destination
                    + ": its eager ring is full and no program receives while one thread drives every node", SupernodeFault.NONE, SupernodeFault.NONE, node);
        }

        @Override
        public void awaitMessage(int node, int source, long tag) {
            throw new UnsupportedAccessFault("node " + node + " waits for a message from node " + source + " (tag " + tag
                    + ") that was never offered: with one thread driving every node, offer before reading", SupernodeFault.NONE, SupernodeFault.NONE, node);
        }

        @Override
        public void awaitSignal(int node, long signalAddress, long value) {
            throw new UnsupportedAccessFault("node " + node + " waits for the signal at "
                    + SupernodeFault.hex(signalAddress) + " to reach " + value + ", which nobody set: with one "
                    + "thread driving every node, put before waiting", signalAddress, SupernodeFault.NONE, node);
        }

        @Override
        public void yieldPoint(int node) {
            // One thread drives every node: there is nobody to switch to.
        }
    };
}
