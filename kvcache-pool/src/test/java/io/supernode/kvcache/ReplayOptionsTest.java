package io.supernode.kvcache;

import io.supernode.gas.path.FabricPair;
import io.supernode.kvcache.serve.ReplayOptions;
import io.supernode.kvcache.serve.RouterPolicy;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A replay's setting is built field by field, and its constructor still checks every build. */
class ReplayOptionsTest {

    @Test
    void aSettingRebuiltFromItsBuilderWithoutChangesIsEqual() {
        ReplayOptions changed = ReplayOptions.builder().nodes(3).pair(FabricPair.CXL_VS_ROCE)
                .router(RouterPolicy.ROUND_ROBIN).capacityTokensPerNode(4_096).payload(false).replicateAfter(2)
                .seed(7).build();
        assertEquals(changed, changed.toBuilder().build());
        assertEquals(ReplayOptions.defaults(), ReplayOptions.defaults().toBuilder().build());
    }

    @Test
    void theBuilderStillRejectsABadFieldWithAKvConfigException() {
        KvConfigException e = assertThrows(KvConfigException.class,
                () -> ReplayOptions.defaults().toBuilder().nodes(0).build());
        assertEquals("KV replay needs 1..4096 nodes, got 0", e.getMessage());
        assertThrows(KvConfigException.class, () -> ReplayOptions.builder().router(null).build());
    }
}
