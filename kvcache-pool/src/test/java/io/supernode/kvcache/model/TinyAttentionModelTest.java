package io.supernode.kvcache.model;

import io.supernode.kvcache.block.BlockLayout;
import io.supernode.kvcache.block.KvDtype;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The model's bytes do not change when its arithmetic is reorganized: blocks filled and decoded now hash to what the
 * first implementation (token by token, element by element) produced, for every element type and a layout with
 * several layers and heads. A change here changes every decode digest a user has recorded.
 */
class TinyAttentionModelTest {

    @Test
    void blocksAndDecodesKeepTheirBits() {
        check(BlockLayout.replay(512), 0xef3be48972df037fL, 0xce5a07a53a79023cL);
        check(BlockLayout.teaching(16, KvDtype.FP16), 0xb960c7c00f81a783L, 0xa4b323b510cbbd91L);
        check(BlockLayout.teaching(16, KvDtype.BF16), 0xd01373ca7cfa23f3L, 0x9a5b1afff3f3c276L);
        check(BlockLayout.teaching(16, KvDtype.FP32), 0x44e5d738e41d867aL, 0x30c5414d7a90a446L);
    }

    /**
     * Fills all but the last 3 tokens of a block at position 1,000, hashes its bytes and attends over them; the last 3
     * tokens' bytes, set beforehand, must be left as they were.
     */
    private static void check(BlockLayout layout, long blockHash, long decodeDigest) {
        TinyAttentionModel model = new TinyAttentionModel(layout, 42);
        int count = layout.tokensPerBlock() - 3;
        int[] tokens = new int[layout.tokensPerBlock()];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = i * 7919 + 3;
        }
        byte[] bytes = new byte[layout.blockBytes()];
        int filled = count * layout.blockBytes() / layout.tokensPerBlock();
        Arrays.fill(bytes, filled, bytes.length, (byte) 0x5A);
        MemorySegment block = MemorySegment.ofArray(bytes);
        model.fillBlock(tokens, count, 1000, block);
        for (int i = filled; i < bytes.length; i++) {
            assertEquals((byte) 0x5A, bytes[i], layout + ": byte " + i + " past the filled tokens changed");
        }
        // The pinned hashes were taken over blocks whose unfilled tokens were zero.
        Arrays.fill(bytes, filled, bytes.length, (byte) 0);
        long hash = 0;
        for (byte b : bytes) {
            hash = hash * 31 + b;
        }
        Decode decode = model.startDecode(77, 2000);
        decode.consume(block, count);
        assertEquals(blockHash, hash, layout + ": block bytes");
        assertEquals(decodeDigest, decode.digest(), layout + ": decode digest");
    }
}
