package io.supernode.gas;

import io.supernode.gas.access.NodeAccess;
import io.supernode.gas.address.GlobalAddressSpace;
import io.supernode.gas.address.Region;
import io.supernode.gas.address.RegionSpec;
import io.supernode.gas.fabric.FabricModel;
import io.supernode.gas.fabric.Topology;
import io.supernode.gas.fault.ConfigFault;
import io.supernode.gas.fault.OutOfRangeFault;
import io.supernode.gas.fault.SupernodeClosedFault;
import io.supernode.gas.memory.ByteSize;
import io.supernode.gas.memory.NodeMemory;
import io.supernode.gas.stats.NodeStats;
import io.supernode.gas.stats.StatsReport;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReferenceArray;

import static io.supernode.gas.fault.SupernodeFault.NONE;

/**
 * An emulated supernode: nodes whose memories form one global address space, reached by load and
 * store over a modeled fabric. Booting reserves every node's nominal memory without committing it,
 * so a CloudMatrix384 (48 TiB) boots in milliseconds; closing unmaps everything.
 *
 * <pre>{@code
 * try (Supernode machine = Supernode.boot(Presets.cloudmatrix384())) {
 *     Region table = machine.map(RegionSpec.of("table", ByteSize.gib(1).bytes(), Placement.interleavedRange(0, 384)));
 *     NodeAccess npu0 = machine.node(0);
 *     npu0.storeLong(table.address(8), 42);
 *     long v = machine.node(383).loadLong(table.address(8));
 * }
 * }</pre>
 */
public final class Supernode implements AutoCloseable {

    private final SupernodeConfig config;
    private final NodeMemory[] memories;
    private final GlobalAddressSpace space;
    private final FabricModel fabric;
    /** Each node's access path once made; read without a lock, made under one. */
    private final AtomicReferenceArray<NodeAccess> access;
    private final long bootNanos;
    /** Told before memory is unmapped; a close may run on any thread while others attach. */
    private final List<Attachment> attachments = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    private Supernode(SupernodeConfig config, NodeMemory[] memories, long bootStartNanos) {
        this.config = config;
        this.memories = memories;
        this.space = new GlobalAddressSpace(memories, config.pageSizeBytes(), config.translationCacheEntries());
        this.fabric = new FabricModel(config.topology());
        this.access = new AtomicReferenceArray<>(memories.length);
        this.bootNanos = System.nanoTime() - bootStartNanos;
    }

    /**
     * Boots a machine: reserves each node's memory and builds the address space and fabric model.
     *
     * @throws ConfigFault when the OS refuses a reservation; nothing stays reserved
     */
    public static Supernode boot(SupernodeConfig config) {
        long start = System.nanoTime();
        int nodes = config.topology().nodeCount();
        NodeMemory[] memories = new NodeMemory[nodes];
        try {
            for (int node = 0; node < nodes; node++) {
                memories[node] = NodeMemory.reserve(node, config.memoryBytesPerNode());
            }
        } catch (IllegalStateException e) {
            for (NodeMemory m : memories) {
                if (m != null) {
                    m.close();
                }
            }
            throw new ConfigFault("cannot reserve " + ByteSize.format(config.memoryBytesPerNode()) + " for each of "
                    + nodes + " nodes of " + config.name() + ": " + e.getMessage()
                    + " (does the kernel allow overcommit? see /proc/sys/vm/overcommit_memory)");
        }
        return new Supernode(config, memories, start);
    }

    /** Boots a preset by name. */
    public static Supernode boot(String presetName) {
        return boot(Presets.byName(presetName));
    }

    /** The configuration it was booted with. */
    public SupernodeConfig config() {
        return config;
    }

    /** Its topology. */
    public Topology topology() {
        return config.topology();
    }

    /** Its fabric cost model. */
    public FabricModel fabric() {
        return fabric;
    }

    /** Its global address space. */
    public GlobalAddressSpace addressSpace() {
        return space;
    }

    /** Number of nodes. */
    public int nodeCount() {
        return memories.length;
    }

    /** Host time that booting took. */
    public long bootNanos() {
        return bootNanos;
    }

    /** Node {@code node}'s memory. */
    public NodeMemory memory(int node) {
        return memories[checkNode(node)];
    }

    /** Maps a region into the global address space. */
    public Region map(RegionSpec spec) {
        checkOpen();
        return space.map(spec);
    }

    /** Unmaps a region. */
    public void unmap(Region region) {
        checkOpen();
        space.unmap(region);
    }

    /** The unified access path of node {@code node}: one per node, made on first use. */
    public NodeAccess node(int node) {
        checkOpen();
        checkNode(node);
        NodeAccess made = access.get(node);
        if (made != null) {
            return made;
        }
        synchronized (access) {
            if (access.get(node) == null) {
                access.set(node, new NodeAccess(node, space, fabric, config.hostTiming(), this::isClosed));
            }
            return access.get(node);
        }
    }

    /**
     * Has {@code attachment} told before any node's memory, or the machine's, is unmapped, until it is
     * {@linkplain #detach detached}.
     */
    public void attach(Attachment attachment) {
        checkOpen();
        attachments.add(attachment);
    }

    /** Stops telling {@code attachment} about closes; nothing happens if it was not attached. */
    public void detach(Attachment attachment) {
        attachments.remove(attachment);
    }

    /**
     * Closes one node: its attachments act first (a coherence domain writes back what the node's cache
     * holds), then its memory is unmapped, and accesses by it or to its pages fault from now on.
     */
    public void closeNode(int node) {
        checkOpen();
        checkNode(node);
        for (Attachment a : attachments) {
            a.nodeClosing(node);
        }
        // Under the address space's lock, which page migration and unmapping hold while they copy and
        // discard frames: none of them can be touching this node's memory as it is unmapped.
        synchronized (space) {
            space.nodeClosing(node);
            memories[node].close();
        }
        space.invalidateTranslations();
    }

    /** A snapshot of every node's and link's counters; take it when no node is issuing. */
    public StatsReport stats() {
        List<NodeStats> nodeStats = new ArrayList<>();
        long[] clocks = new long[memories.length];
        synchronized (access) {
            for (int node = 0; node < access.length(); node++) {
                NodeAccess a = access.get(node);
                if (a != null) {
                    nodeStats.add(a.stats());
                    clocks[a.nodeId()] = a.clock().nowNanos();
                }
            }
        }
        return StatsReport.collect(nodeStats, clocks, fabric);
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return closed;
    }

    private int checkNode(int node) {
        if (node < 0 || node >= memories.length) {
            throw new OutOfRangeFault("no node " + node + " in " + config.name() + " (nodes 0.." + (memories.length - 1) + ")",
                    NONE, NONE, node);
        }
        return node;
    }

    private void checkOpen() {
        if (closed) {
            throw new SupernodeClosedFault("supernode " + config.name() + " is closed", NONE, NONE, NONE);
        }
    }

    /** Unmaps every node's memory; idempotent. Any access afterwards faults. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Attachment a : attachments) {
            a.machineClosing();
        }
        space.close();
        synchronized (space) {
            for (NodeMemory m : memories) {
                m.close();
            }
        }
    }
}
