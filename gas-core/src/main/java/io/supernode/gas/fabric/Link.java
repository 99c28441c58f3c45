package io.supernode.gas.fabric;

/**
 * One direction of one port or trunk in the fabric, as a resource: each lane is busy until its
 * free-at time, so transfers that share the link queue behind each other. Guarded by its own monitor,
 * which the {@link FabricModel} holds while it reserves lanes.
 */
public final class Link {

    /** What the link connects. */
    public enum Kind {
        /** A node's port, node to switch. */
        NODE_EGRESS,
        /** A node's port, switch to node. */
        NODE_INGRESS,
        /** A first-tier domain's trunk into the second tier. */
        GROUP_UP,
        /** The second tier's trunk into a first-tier domain. */
        GROUP_DOWN,
        /** A node's scale-out NIC port, node to network (stacked servers). */
        NIC_EGRESS,
        /** A node's scale-out NIC port, network to node (stacked servers). */
        NIC_INGRESS
    }

    private final int id;
    private final Kind kind;
    private final int endpoint;
    private final long[] laneFreeAtNanos;
    private long busyNanos;
    private long transfers;
    // Links of neighbouring ports are allocated together and reserved by different node threads: keep the
    // next link's hot fields off this one's cache line.
    @SuppressWarnings("unused")
    private long pad1, pad2, pad3, pad4, pad5, pad6, pad7;

    Link(int id, Kind kind, int endpoint, int lanes) {
        this.id = id;
        this.kind = kind;
        this.endpoint = endpoint;
        this.laneFreeAtNanos = new long[lanes];
    }

    /** Index of this link in {@link FabricModel#links()}. */
    public int id() {
        return id;
    }

    /** What the link connects. */
    public Kind kind() {
        return kind;
    }

    /** The node (for node ports and NICs) or group (for trunks) at this link's end. */
    public int endpoint() {
        return endpoint;
    }

    /** Lanes that carry transfers in parallel. */
    public int lanes() {
        return laneFreeAtNanos.length;
    }

    /** A readable name such as {@code node 17 egress} or {@code board 3 up}. */
    public String name(Topology topology) {
        return switch (kind) {
            case NODE_EGRESS -> topology.nodeNoun() + " " + endpoint + " egress";
            case NODE_INGRESS -> topology.nodeNoun() + " " + endpoint + " ingress";
            case GROUP_UP -> topology.groupNoun() + " " + endpoint + " up";
            case GROUP_DOWN -> topology.groupNoun() + " " + endpoint + " down";
            case NIC_EGRESS -> topology.nodeNoun() + " " + endpoint + " NIC out";
            case NIC_INGRESS -> topology.nodeNoun() + " " + endpoint + " NIC in";
        };
    }

    /** Modeled time lanes of this link spent carrying bulk transfers. */
    public long busyNanos() {
        return busyNanos;
    }

    /** Bulk transfers that reserved this link. */
    public long transfers() {
        return transfers;
    }

    int earliestLane() {
        int best = 0;
        for (int lane = 1; lane < laneFreeAtNanos.length; lane++) {
            if (laneFreeAtNanos[lane] < laneFreeAtNanos[best]) {
                best = lane;
            }
        }
        return best;
    }

    long laneFreeAt(int lane) {
        return laneFreeAtNanos[lane];
    }

    void occupy(int lane, long startNanos, long durationNanos) {
        laneFreeAtNanos[lane] = startNanos + durationNanos;
        busyNanos += durationNanos;
        transfers++;
    }
}
