package io.supernode.gas.address;

import org.eclipse.collections.api.factory.primitive.IntSets;
import org.eclipse.collections.api.set.primitive.ImmutableIntSet;

/** Which nodes may read and write a region. */
public sealed interface Permissions
        permits Permissions.ReadWrite, Permissions.ReadOnly, Permissions.OwnerOnly, Permissions.Grants {

    /** Whether {@code node} may load from the region. */
    boolean canRead(int node);

    /** Whether {@code node} may store to the region (and run atomics on it). */
    boolean canWrite(int node);

    /** Every node reads and writes: the default. */
    static Permissions readWrite() {
        return new ReadWrite();
    }

    /** Every node reads, none writes. */
    static Permissions readOnly() {
        return new ReadOnly();
    }

    /** Only {@code owner} reads or writes. */
    static Permissions ownerOnly(int owner) {
        return new OwnerOnly(owner);
    }

    /** Explicit per-node grants; a node in neither set can do nothing. */
    static Permissions grants(int[] readers, int[] writers) {
        return new Grants(IntSets.immutable.of(readers), IntSets.immutable.of(writers));
    }

    /** Every node reads and writes. */
    record ReadWrite() implements Permissions {
        @Override
        public boolean canRead(int node) {
            return true;
        }

        @Override
        public boolean canWrite(int node) {
            return true;
        }
    }

    /** Every node reads, none writes. */
    record ReadOnly() implements Permissions {
        @Override
        public boolean canRead(int node) {
            return true;
        }

        @Override
        public boolean canWrite(int node) {
            return false;
        }
    }

    /**
     * Only one node reads or writes.
     *
     * @param owner the node
     */
    record OwnerOnly(int owner) implements Permissions {
        @Override
        public boolean canRead(int node) {
            return node == owner;
        }

        @Override
        public boolean canWrite(int node) {
            return node == owner;
        }
    }

    /**
     * Explicit grants.
     *
     * @param readers nodes that may load
     * @param writers nodes that may store and run atomics
     */
    record Grants(ImmutableIntSet readers, ImmutableIntSet writers) implements Permissions {
        @Override
        public boolean canRead(int node) {
            return readers.contains(node);
        }

        @Override
        public boolean canWrite(int node) {
            return writers.contains(node);
        }
    }
}
