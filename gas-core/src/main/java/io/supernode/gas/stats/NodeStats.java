package io.supernode.gas.stats;

/**
 * One node's counters: per operation kind, per target node (bytes read from and written to each
 * node, from which per-link traffic is derived), and translation-cache hits and misses.
 *
 * <p>Single writer: only the thread driving the node's access path updates them; other threads read
 * them after that thread is done (at quiescence), as the stats export does.
 */
public final class NodeStats {

    private static final int KINDS = OpKind.values().length;
    /**
     * Each kind's four counters sit side by side in {@link #perKind} (operations, bytes, modeled ns, host
     * ns), so counting one operation touches one array and usually one cache line.
     */
    private static final int OPS = 0;
    private static final int BYTES = 1;
    private static final int MODELED = 2;
    private static final int HOST = 3;
    private static final int STRIDE = 4;

    private final int nodeId;
    private final long[] perKind = new long[KINDS * STRIDE];
    private final long[] readBytesFrom;
    private final long[] writeBytesTo;
    private long translationHits;
    private long translationMisses;
    private long messages;
    private long messageBytes;
    private long remoteBytes;

    /** Counters for node {@code nodeId} of a machine of {@code nodeCount} nodes. */
    public NodeStats(int nodeId, int nodeCount) {
        this.nodeId = nodeId;
        this.readBytesFrom = new long[nodeCount];
        this.writeBytesTo = new long[nodeCount];
    }

    /** Counts one operation of {@code kind} moving {@code byteCount} bytes in {@code modeled} ns. */
    public void record(OpKind kind, long byteCount, long modeled) {
        record(kind, 1, byteCount, modeled);
    }

    /** Counts {@code count} operations of {@code kind} at once, moving {@code byteCount} bytes in {@code modeled} ns. */
    public void record(OpKind kind, long count, long byteCount, long modeled) {
        int k = kind.ordinal() * STRIDE;
        perKind[k + OPS] += count;
        perKind[k + BYTES] += byteCount;
        perKind[k + MODELED] += modeled;
    }

    /** Adds host wall time spent on operations of {@code kind}. */
    public void recordHost(OpKind kind, long nanos) {
        perKind[kind.ordinal() * STRIDE + HOST] += nanos;
    }

    /** Counts bytes that travelled from {@code target}'s memory to this node. */
    public void readFrom(int target, long byteCount) {
        readBytesFrom[target] += byteCount;
        if (target != nodeId) {
            remoteBytes += byteCount;
        }
    }

    /**
     * Counts a page-table entry read from {@code home}'s memory on a translation miss: bytes read from
     * there like any other, but not data, so not in {@link #remoteBytes}.
     */
    public void pageTableRead(int home, long byteCount) {
        readBytesFrom[home] += byteCount;
    }

    /** Counts bytes that travelled from this node into {@code target}'s memory. */
    public void wroteTo(int target, long byteCount) {
        writeBytesTo[target] += byteCount;
        if (target != nodeId) {
            remoteBytes += byteCount;
        }
    }

    /**
     * Data bytes this node loaded from or stored to other nodes' memory over the load/store fabric
     * (page-table reads on translation misses are counted apart).
     */
    public long remoteBytes() {
        return remoteBytes;
    }

    /** Counts {@code count} translation-cache hits at once. */
    public void translationHits(long count) {
        translationHits += count;
    }

    /** Counts a translation-cache hit or miss. */
    public void translation(boolean hit) {
        if (hit) {
            translationHits++;
        } else {
            translationMisses++;
        }
    }

    /** Counts a message this node put on the message plane (data, request or reply) and its wire bytes. */
    public void message(long wireBytes) {
        messages++;
        messageBytes += wireBytes;
    }

    /** Messages this node sent (data, requests and replies). */
    public long messages() {
        return messages;
    }

    /** Bytes this node's messages carried on the wire, headers included. */
    public long messageBytes() {
        return messageBytes;
    }

    /** The node these counters belong to. */
    public int nodeId() {
        return nodeId;
    }

    /** Totals for one operation kind. */
    public OpStats op(OpKind kind) {
        int k = kind.ordinal() * STRIDE;
        return new OpStats(kind, perKind[k + OPS], perKind[k + BYTES], perKind[k + MODELED], perKind[k + HOST]);
    }

    /** Bytes read from {@code target}'s memory. */
    public long readBytesFrom(int target) {
        return readBytesFrom[target];
    }

    /** Bytes written into {@code target}'s memory. */
    public long writeBytesTo(int target) {
        return writeBytesTo[target];
    }

    /** Translation-cache hits. */
    public long translationHits() {
        return translationHits;
    }

    /** Translation-cache misses. */
    public long translationMisses() {
        return translationMisses;
    }

    /** Whether this node has issued any operation. */
    public boolean active() {
        for (int k = 0; k < perKind.length; k += STRIDE) {
            if (perKind[k + OPS] != 0) {
                return true;
            }
        }
        return false;
    }
}
