package io.supernode.collectives.moe;

import java.util.Arrays;

/**
 * The chunks one phase (dispatch or combine) moves, with the chunks each must wait for: a chunk is a batch of token
 * messages from one rank to another on one channel, a rank's own chunk ({@code from == to}) a copy in its memory. A
 * chunk whose data another chunk delivers (a forwarder passing on what reached it) waits for that chunk; the rest are
 * ready at the start. Struct-of-arrays, grown as chunks are added.
 */
final class ChunkGraph {

    private int count;
    private int[] from = new int[1024];
    private int[] to = new int[1024];
    private int[] channel = new int[1024];
    private int[] order = new int[1024];
    private long[] bytes = new long[1024];
    private boolean[] reduce = new boolean[1024];
    private int[] predecessors = new int[1024];
    /** Per chunk, the first of its outgoing edges, or -1; edges chain through {@link #edgeNext}. */
    private int[] firstEdge = new int[1024];
    private int edges;
    private int[] edgeTarget = new int[1024];
    private int[] edgeNext = new int[1024];

    /**
     * Adds a chunk of {@code bytes} from rank {@code from} to rank {@code to} on channel {@code onChannel}, taken by
     * its channel in ascending {@code position} (where its tokens are in the channel's loop; ties in the order added);
     * returns its id.
     */
    int add(int fromRank, int toRank, int onChannel, int position, long chunkBytes, boolean reduces) {
        if (count == from.length) {
            int grown = count * 2;
            from = Arrays.copyOf(from, grown);
            to = Arrays.copyOf(to, grown);
            channel = Arrays.copyOf(channel, grown);
            order = Arrays.copyOf(order, grown);
            bytes = Arrays.copyOf(bytes, grown);
            reduce = Arrays.copyOf(reduce, grown);
            predecessors = Arrays.copyOf(predecessors, grown);
            firstEdge = Arrays.copyOf(firstEdge, grown);
        }
        from[count] = fromRank;
        to[count] = toRank;
        channel[count] = onChannel;
        order[count] = position;
        bytes[count] = chunkBytes;
        reduce[count] = reduces;
        firstEdge[count] = -1;
        return count++;
    }

    /** Makes chunk {@code after} wait for chunk {@code before}. */
    void waitFor(int after, int before) {
        if (edges == edgeTarget.length) {
            edgeTarget = Arrays.copyOf(edgeTarget, edges * 2);
            edgeNext = Arrays.copyOf(edgeNext, edges * 2);
        }
        edgeTarget[edges] = after;
        edgeNext[edges] = firstEdge[before];
        firstEdge[before] = edges++;
        predecessors[after]++;
    }

    int count() {
        return count;
    }

    int from(int chunk) {
        return from[chunk];
    }

    int to(int chunk) {
        return to[chunk];
    }

    int channel(int chunk) {
        return channel[chunk];
    }

    int position(int chunk) {
        return order[chunk];
    }

    long bytes(int chunk) {
        return bytes[chunk];
    }

    boolean reduces(int chunk) {
        return reduce[chunk];
    }

    /** How many chunks {@code chunk} waits for. */
    int predecessors(int chunk) {
        return predecessors[chunk];
    }

    /** The first outgoing edge of {@code chunk}, or -1. */
    int firstEdge(int chunk) {
        return firstEdge[chunk];
    }

    /** The edge after {@code edge} from the same chunk, or -1. */
    int nextEdge(int edge) {
        return edgeNext[edge];
    }

    /** The chunk that waits along {@code edge}. */
    int edgeTarget(int edge) {
        return edgeTarget[edge];
    }
}
