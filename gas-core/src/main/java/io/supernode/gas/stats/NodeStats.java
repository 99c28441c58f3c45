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

    private final int nodeId;
    private final long[] ops = new long[KINDS];
    private final long[] bytes = new long[KINDS];
    private final long[] modeledNanos = new long[KINDS];
    private final long[] hostNanos = new long[KINDS];
    private final long[] readBytesFrom;
    private final long[] writeBytesTo;
    private long translationHits;
    private long translationMisses;
    private long messages;
    private long messageBytes;

    /** Counters for node {@code nodeId} of a machine of {@code nodeCount} nodes. */
    public NodeStats(int nodeId, int nodeCount) {
        this.nodeId = nodeId;
        this.readBytesFrom = new long[nodeCount];
        this.writeBytesTo = new long[nodeCount];
    }

    /** Counts one operation of {@code kind} moving {@code byteCount} bytes in {@code modeled} ns. */
    public void record(OpKind kind, long byteCount, long modeled) {
        int k = kind.ordinal();
        ops[k]++;
        bytes[k] += byteCount;
        modeledNanos[k] += modeled;
    }

    /** Counts {@code count} operations of {@code kind} at once, moving {@code byteCount} bytes in {@code modeled} ns. */
    public void record(OpKind kind, long count, long byteCount, long modeled) {
        int k = kind.ordinal();
        ops[k] += count;
        bytes[k] += byteCount;
        modeledNanos[k] += modeled;
    }

    /** Adds host wall time spent on operations of {@code kind}. */
    public void recordHost(OpKind kind, long nanos) {
        hostNanos[kind.ordinal()] += nanos;
    }

    /** Counts bytes that travelled from {@code target}'s memory to this node. */
    public void readFrom(int target, long byteCount) {
        readBytesFrom[target] += byteCount;
    }

    /** Counts bytes that travelled from this node into {@code target}'s memory. */
    public void wroteTo(int target, long byteCount) {
        writeBytesTo[target] += byteCount;
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
        int k = kind.ordinal();
        return new OpStats(kind, ops[k], bytes[k], modeledNanos[k], hostNanos[k]);
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
        for (long n : ops) {
            if (n != 0) {
                return true;
            }
        }
        return false;
    }
}
