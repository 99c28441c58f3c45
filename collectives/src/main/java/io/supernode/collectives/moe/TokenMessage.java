package io.supernode.collectives.moe;

/**
 * The bytes of one dispatched token, as DeepEP's kernels lay them out: a 16-byte header (the source rank, the token's
 * index there, the expert it is for in low-latency mode, one reserved int), the token in its {@link TokenFormat}, and
 * in normal mode the token's top-k expert ids and gate weights (the receiver needs them to weigh its experts' outputs
 * before combine); the whole rounded up to 16 bytes. With FP8 at hidden 7168 and top-8 that is 7,472 bytes in normal
 * mode and 7,408 in low-latency mode, DeepEP's own sizes.
 *
 * @param format        the dispatch format
 * @param hidden        channels
 * @param topK          experts per token
 * @param carriesRouting whether the experts and weights travel with the token (normal mode)
 */
record TokenMessage(TokenFormat format, int hidden, int topK, boolean carriesRouting) {

    /** Offset of the source rank (int). */
    static final long SOURCE_RANK_OFFSET = 0;
    /** Offset of the token's index at its source (int). */
    static final long SOURCE_TOKEN_OFFSET = 4;
    /** Offset of the expert a low-latency message is for (int). */
    static final long EXPERT_OFFSET = 8;
    /** Bytes before the payload. */
    static final long HEADER_BYTES = 16;
    private static final long ALIGN = 16;

    /** Offset of the token's data. */
    long payloadOffset() {
        return HEADER_BYTES;
    }

    /** Offset of the top-k expert ids (ints), when carried. */
    long expertsOffset() {
        return HEADER_BYTES + format.payloadBytes(hidden);
    }

    /** Offset of the top-k gate weights (floats), when carried. */
    long weightsOffset() {
        return expertsOffset() + (long) Integer.BYTES * topK;
    }

    /** Bytes of the message. */
    long bytes() {
        long end = carriesRouting ? weightsOffset() + (long) Float.BYTES * topK : expertsOffset();
        return (end + ALIGN - 1) / ALIGN * ALIGN;
    }

    /** Bytes of a combined token: bfloat16 channels. */
    static long combineBytes(int hidden) {
        return 2L * hidden;
    }
}
