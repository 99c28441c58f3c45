package io.supernode.gas.address;

import io.supernode.gas.fabric.Topology;
import io.supernode.gas.fault.ConfigFault;
import org.eclipse.collections.api.factory.primitive.IntLists;
import org.eclipse.collections.api.list.primitive.ImmutableIntList;

/** Where a region's pages live. */
public sealed interface Placement permits Placement.OnNode, Placement.Interleaved, Placement.Explicit {

    /** The node that holds page {@code pageIndex}. */
    int nodeOfPage(long pageIndex);

    /** The region's home: the node that holds its page table (charged for translation misses). */
    int homeNode();

    /** Every node this placement may use, for validation against the machine. */
    ImmutableIntList nodes();

    /** All pages on {@code node}. */
    static Placement onNode(int node) {
        return new OnNode(node);
    }

    /** Page {@code i} on {@code nodes[i % nodes.length]}. */
    static Placement interleaved(int... nodes) {
        return new Interleaved(IntLists.immutable.of(nodes));
    }

    /** Page {@code i} on node {@code from + i % (to - from)}: interleaved over a contiguous range of nodes. */
    static Placement interleavedRange(int from, int toExclusive) {
        if (toExclusive <= from) {
            throw new ConfigFault("interleave range [" + from + ", " + toExclusive + ") is empty");
        }
        if (from < 0 || toExclusive > Topology.MAX_NODES) {
            throw new ConfigFault("interleave range [" + from + ", " + toExclusive + ") is outside the node ids a machine"
                    + " can have, 0.." + (Topology.MAX_NODES - 1));
        }
        int[] nodes = new int[toExclusive - from];
        for (int i = 0; i < nodes.length; i++) {
            nodes[i] = from + i;
        }
        return interleaved(nodes);
    }

    /** Page {@code i} on {@code nodeOfPage[i]}; the region must have exactly that many pages. */
    static Placement explicit(int... nodeOfPage) {
        return new Explicit(IntLists.immutable.of(nodeOfPage));
    }

    /**
     * Every page on one node.
     *
     * @param node the node
     */
    record OnNode(int node) implements Placement {
        /** Validates the node id. */
        public OnNode {
            if (node < 0) {
                throw new ConfigFault("placement node must be >= 0, got " + node);
            }
        }

        @Override
        public int nodeOfPage(long pageIndex) {
            return node;
        }

        @Override
        public int homeNode() {
            return node;
        }

        @Override
        public ImmutableIntList nodes() {
            return IntLists.immutable.of(node);
        }
    }

    /**
     * Pages dealt round-robin over a set of nodes at page granularity.
     *
     * @param nodes the nodes, in dealing order; not empty, no negatives
     */
    record Interleaved(ImmutableIntList nodes) implements Placement {
        /** Validates the node list. */
        public Interleaved {
            if (nodes == null || nodes.isEmpty() || nodes.anySatisfy(n -> n < 0)) {
                throw new ConfigFault("interleaved placement needs a non-empty list of node ids >= 0, got " + nodes);
            }
        }

        @Override
        public int nodeOfPage(long pageIndex) {
            return nodes.get((int) (pageIndex % nodes.size()));
        }

        @Override
        public int homeNode() {
            return nodes.get(0);
        }
    }

    /**
     * One node per page, named explicitly.
     *
     * @param nodeOfPageList node of page 0, 1, ...
     */
    record Explicit(ImmutableIntList nodeOfPageList) implements Placement {
        /** Validates the node list. */
        public Explicit {
            if (nodeOfPageList == null || nodeOfPageList.isEmpty() || nodeOfPageList.anySatisfy(n -> n < 0)) {
                throw new ConfigFault("explicit placement needs one node id >= 0 per page, got " + nodeOfPageList);
            }
        }

        @Override
        public int nodeOfPage(long pageIndex) {
            return nodeOfPageList.get((int) pageIndex);
        }

        @Override
        public int homeNode() {
            return nodeOfPageList.get(0);
        }

        @Override
        public ImmutableIntList nodes() {
            return nodeOfPageList.distinct();
        }
    }
}
