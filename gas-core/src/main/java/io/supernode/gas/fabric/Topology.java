package io.supernode.gas.fabric;

import io.supernode.gas.fault.ConfigFault;

/**
 * How nodes are wired: {@code groups} first-tier switch domains of {@code nodesPerGroup} nodes each.
 * With one group the machine is a single switch tier (NVL72); with several, groups are joined either by a
 * non-blocking second tier of the same fabric (CloudMatrix384's two-tier UB Clos: 48 boards of 8 NPUs), or,
 * when {@code scaleOut} is given, by a scale-out network that carries messages only: stacked servers (a DGX
 * H100 cluster: servers of 8 GPUs over NVLink 4, one 400 Gb/s InfiniBand NIC per GPU between them). There
 * load and store reach only the nodes of the same server, and every node has a NIC port of its own on a
 * non-blocking, rail-optimized scale-out network.
 *
 * @param groups        first-tier domains
 * @param nodesPerGroup nodes in each domain
 * @param groupNoun     what a domain is called, e.g. {@code board}
 * @param nodeNoun      what a node is called, e.g. {@code NPU}
 * @param link          the scale-up link profile between nodes
 * @param memory        each node's own memory
 * @param scaleOut      the network between groups when they are separate servers, or null when the scale-up
 *                      fabric itself joins them
 */
public record Topology(int groups, int nodesPerGroup, String groupNoun, String nodeNoun, LinkProfile link,
                       MemoryProfile memory, LinkProfile scaleOut) {

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
        if (scaleOut != null && scaleOut.loadStore()) {
            throw new ConfigFault("the scale-out network " + scaleOut.name() + " between " + groupNoun
                    + "s must carry messages only (loadStore false): a load/store second tier is the link's own");
        }
    }

    /** One fabric over every node: groups, if several, joined by the link's own second tier. */
    public Topology(int groups, int nodesPerGroup, String groupNoun, String nodeNoun, LinkProfile link,
                    MemoryProfile memory) {
        this(groups, nodesPerGroup, groupNoun, nodeNoun, link, memory, null);
    }

    /**
     * The same shape wired with another link profile: e.g. the scale-out message plane beside the scale-up one.
     * Stacked servers keep their scale-out network between groups.
     */
    public Topology withLink(LinkProfile other) {
        return new Topology(groups, nodesPerGroup, groupNoun, nodeNoun, other, memory, scaleOut);
    }

    /**
     * The same fabric with {@code nodes} nodes: in groups of {@code perGroup} when this machine has several groups
     * and {@code nodes} fills more than one whole group, else under one first-tier switch.
     */
    public Topology inGroupsOf(int nodes, int perGroup) {
        if (groups > 1 && perGroup >= 1 && nodes > perGroup && nodes % perGroup == 0) {
            return new Topology(nodes / perGroup, perGroup, groupNoun, nodeNoun, link, memory, scaleOut);
        }
        return new Topology(1, nodes, groupNoun, nodeNoun, link, memory, scaleOut);
    }

    /** Whether groups are separate servers joined by a scale-out network that carries messages only. */
    public boolean stacked() {
        return scaleOut != null;
    }

    /** The profile of the links a route of class {@code rc} crosses: the scale-out's between stacked servers. */
    public LinkProfile linkOf(RouteClass rc) {
        return rc == RouteClass.CROSS_GROUP && scaleOut != null ? scaleOut : link;
    }

    /** Whether node {@code from} can load from and store to node {@code to}'s memory. */
    public boolean loadStoreReaches(int from, int to) {
        return from == to || link.loadStore() && (scaleOut == null || groupOf(from) == groupOf(to));
    }

    /** Whether every node can load from and store to every other node's memory. */
    public boolean loadStoreEverywhere() {
        return link.loadStore() && (scaleOut == null || groups == 1);
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
        if (stacked() && twoTier()) {
            return nodeCount() + " " + nodeNoun + "s in " + groups + " " + groupNoun + "s of " + nodesPerGroup
                    + " over " + link.name() + ", " + groupNoun + "s joined by " + scaleOut.name() + " (messages only)";
        }
        return twoTier()
                ? nodeCount() + " " + nodeNoun + "s on " + groups + " " + groupNoun + "s of " + nodesPerGroup
                + " over " + link.name() + " in a two-tier Clos"
                : nodeCount() + " " + nodeNoun + "s over " + link.name() + " under one switch tier";
    }
}
