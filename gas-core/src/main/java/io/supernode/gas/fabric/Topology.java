package io.supernode.gas.fabric;

import io.supernode.gas.fault.ConfigFault;

/**
 * How nodes are wired: {@code groups} first-tier switch domains of {@code nodesPerGroup} nodes each.
 * With one group the machine is a single switch tier (NVL72); with several, groups are joined by a
 * non-blocking second tier (CloudMatrix384's two-tier UB Clos: 48 boards of 8 NPUs).
 *
 * @param groups        first-tier domains
 * @param nodesPerGroup nodes in each domain
 * @param groupNoun     what a domain is called, e.g. {@code board}
 * @param nodeNoun      what a node is called, e.g. {@code NPU}
 * @param link          the scale-up link profile between nodes
 * @param memory        each node's own memory
 */
public record Topology(int groups, int nodesPerGroup, String groupNoun, String nodeNoun, LinkProfile link,
                       MemoryProfile memory) {

    /** The most nodes a machine may have: node ids must fit the 16 bits a page-table entry keeps for them. */
    public static final int MAX_NODES = 1 << 15;

    /** Validates the shape. */
    public Topology {
        if (groups < 1 || nodesPerGroup < 1 || (long) groups * nodesPerGroup > MAX_NODES) {
            throw new ConfigFault("topology needs 1.." + MAX_NODES + " nodes as groups x nodesPerGroup, got "
                    + groups + " x " + nodesPerGroup);
        }
        if (link == null || memory == null) {
            throw new ConfigFault("topology needs a link profile and a memory profile");
        }
    }

    /** The same shape wired with another link profile: e.g. the scale-out message plane beside the scale-up one. */
    public Topology withLink(LinkProfile other) {
        return new Topology(groups, nodesPerGroup, groupNoun, nodeNoun, other, memory);
    }

    /** All nodes of the machine. */
    public int nodeCount() {
        return groups * nodesPerGroup;
    }

    /** The first-tier domain a node sits in. */
    public int groupOf(int node) {
        return node / nodesPerGroup;
    }

    /** How an access from {@code from} to {@code to} travels. */
    public RouteClass routeClass(int from, int to) {
        if (from == to) {
            return RouteClass.LOCAL;
        }
        return groupOf(from) == groupOf(to) ? RouteClass.SAME_GROUP : RouteClass.CROSS_GROUP;
    }

    /** Whether a second switch tier exists. */
    public boolean twoTier() {
        return groups > 1;
    }

    /** One line, e.g. {@code 384 NPUs on 48 boards of 8 over UB in a two-tier Clos}. */
    public String describe() {
        return twoTier()
                ? nodeCount() + " " + nodeNoun + "s on " + groups + " " + groupNoun + "s of " + nodesPerGroup
                + " over " + link.name() + " in a two-tier Clos"
                : nodeCount() + " " + nodeNoun + "s over " + link.name() + " under one switch tier";
    }
}
