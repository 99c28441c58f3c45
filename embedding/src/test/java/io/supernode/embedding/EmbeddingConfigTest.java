package io.supernode.embedding;

import io.supernode.gas.fault.ConfigFault;
import io.supernode.gas.path.FabricPair;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The workload's builder keeps what it is not told to change and checks what it builds. */
class EmbeddingConfigTest {

    @Test
    void aBuilderFromAWorkloadBuildsTheSameWorkload() {
        assertEquals(EmbeddingConfig.DEFAULT, EmbeddingConfig.DEFAULT.toBuilder().build());
        assertEquals(EmbeddingConfig.GATHER_BENCHMARK, EmbeddingConfig.GATHER_BENCHMARK.toBuilder().build());
    }

    @Test
    void aBuilderChangesOnlyTheFieldsItIsGiven() {
        EmbeddingConfig changed = EmbeddingConfig.DEFAULT.toBuilder().dim(16).pair(FabricPair.NVLINK4_VS_IB).seed(7).build();
        assertEquals(EmbeddingConfig.DEFAULT.withMachine(16, FabricPair.NVLINK4_VS_IB, 7), changed);
        assertEquals(EmbeddingConfig.DEFAULT.tables(), changed.tables());
        assertEquals(16, changed.dim());
    }

    @Test
    void aBadFieldIsAConfigFaultNamingIt() {
        ConfigFault dim = assertThrows(ConfigFault.class, () -> EmbeddingConfig.DEFAULT.toBuilder().dim(3).build());
        assertTrue(dim.getMessage().contains("dim"), dim.getMessage());
        ConfigFault batch = assertThrows(ConfigFault.class, () -> EmbeddingConfig.DEFAULT.toBuilder().globalBatch(7).build());
        assertTrue(batch.getMessage().contains("global batch 7"), batch.getMessage());
    }

    /** Workloads beyond what a run can hold are refused before any machine boots, naming the bound. */
    @Test
    void aWorkloadTooLargeForTheHostIsRefusedNamingTheBound() {
        ConfigFault tables = assertThrows(ConfigFault.class, () -> EmbeddingConfig.DEFAULT.withRows(2_000_000_000));
        assertTrue(tables.getMessage().contains("exceed the 64 GiB"), tables.getMessage());
        ConfigFault lookups = assertThrows(ConfigFault.class,
                () -> EmbeddingConfig.DEFAULT.toBuilder().globalBatch(2_000_000_000 / 8 * 8).build());
        assertTrue(lookups.getMessage().contains("lookups"), lookups.getMessage());
        ConfigFault nodes = assertThrows(ConfigFault.class, () -> EmbeddingConfig.DEFAULT.toBuilder().nodes(2048).build());
        assertTrue(nodes.getMessage().contains("nodes must be 1..1024"), nodes.getMessage());
        ConfigFault zipf = assertThrows(ConfigFault.class, () -> EmbeddingConfig.DEFAULT.withZipf(1e308));
        assertTrue(zipf.getMessage().contains("Zipf exponent"), zipf.getMessage());
        EmbeddingConfig largest = EmbeddingConfig.DEFAULT.withRows((int) (EmbeddingConfig.MAX_TABLE_BYTES / 8 / 256));
        assertEquals(EmbeddingConfig.MAX_TABLE_BYTES, (long) largest.tables() * largest.rowsPerTable() * largest.rowBytes());
    }
}
