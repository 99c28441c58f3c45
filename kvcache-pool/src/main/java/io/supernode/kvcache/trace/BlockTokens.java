package io.supernode.kvcache.trace;

import io.supernode.kvcache.index.BlockHash;

/** Where a request's token ids come from: derived from trace hash ids, or given. */
public sealed interface BlockTokens {

    /**
     * Copies the tokens of block {@code block} (blocks of {@code tokensPerBlock}) into {@code into};
     * returns how many it copied: at least the prompt's tokens in that block, and a whole block when
     * the block's content does not depend on the prompt's length.
     */
    int copyBlock(int block, int tokensPerBlock, int promptTokens, int[] into);

    /** The token at {@code position}. */
    int token(int position, int tokensPerBlock);

    /**
     * Tokens of a trace that publishes only block hash ids: token {@code i} of a block is a fixed
     * function of the block's id and {@code i}, so equal ids give equal tokens, in every run. A block
     * is always derived whole: a trace may end one prompt inside a block another prompt fills.
     *
     * @param hashIds the trace's hash ids, one per block
     */
    record Derived(long[] hashIds) implements BlockTokens {
        @Override
        public int copyBlock(int block, int tokensPerBlock, int promptTokens, int[] into) {
            for (int i = 0; i < tokensPerBlock; i++) {
                into[i] = derive(hashIds[block], i);
            }
            return tokensPerBlock;
        }

        @Override
        public int token(int position, int tokensPerBlock) {
            return derive(hashIds[position / tokensPerBlock], position % tokensPerBlock);
        }

        private static int derive(long hashId, int index) {
            return (int) (BlockHash.mix(hashId * 1_000_003L + index) >>> 33);
        }
    }

    /**
     * Token ids given in full, as the generator makes them.
     *
     * @param ids every prompt token
     */
    record Explicit(int[] ids) implements BlockTokens {
        @Override
        public int copyBlock(int block, int tokensPerBlock, int promptTokens, int[] into) {
            int from = block * tokensPerBlock;
            int count = Math.min(tokensPerBlock, promptTokens - from);
            System.arraycopy(ids, from, into, 0, count);
            return count;
        }

        @Override
        public int token(int position, int tokensPerBlock) {
            return ids[position];
        }
    }
}
