package io.supernode.gas.config;

import io.supernode.gas.Presets;
import io.supernode.gas.SupernodeConfig;
import io.supernode.gas.fabric.LinkProfiles;
import io.supernode.gas.fault.ConfigFault;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Topology files describe machines, and every mistake in one is a one-line error naming the file and key. */
class TopologyFileTest {

    private static SupernodeConfig parse(String json) {
        return TopologyFile.from(JsonObject.parse(json, "t.json"));
    }

    private static String error(String json) {
        return assertThrows(ConfigFault.class, () -> parse(json)).getMessage();
    }

    @Test
    void aPresetWithChangesKeepsEverythingElse() {
        SupernodeConfig c = parse("""
                {"base": "cloudmatrix384", "groups": 4, "memoryPerNode": "32GiB",
                 "link": {"base": "UB", "readGBps": 334}}""");
        SupernodeConfig preset = Presets.cloudmatrix384();
        assertEquals(4 * 8, c.topology().nodeCount());
        assertEquals(32L << 30, c.memoryBytesPerNode());
        assertEquals(334e9, c.topology().link().readBytesPerSecond(), 1);
        assertEquals(preset.topology().link().writeBytesPerSecond(), c.topology().link().writeBytesPerSecond(), 1);
        assertEquals(preset.topology().link().latencyNanos(), c.topology().link().latencyNanos());
        assertTrue(c.topology().link().source().contains("CHANGED in t.json: readGBps"), c.topology().link().source());
        assertEquals("UB*", c.topology().link().name());
        assertSame(preset.topology().memory().getClass(), c.topology().memory().getClass());
        assertEquals(preset.pageSizeBytes(), c.pageSizeBytes());
    }

    @Test
    void aWholeMachineWithoutAPreset() {
        SupernodeConfig c = parse("""
                {"name": "rack16", "groups": 2, "nodesPerGroup": 8, "nodeNoun": "GPU", "memoryPerNode": 1073741824,
                 "link": "nvlink4", "memory": {"name": "HBM3", "latencyNanos": 400, "GBps": 3350}, "seed": 9}""");
        assertEquals("rack16", c.name());
        assertEquals(16, c.topology().nodeCount());
        assertSame(LinkProfiles.NVLINK4, c.topology().link());
        assertEquals(3.35e12, c.topology().memory().bytesPerSecond(), 1);
        assertEquals(9, c.seed());
        assertEquals("16 GPUs on 2 groups of 8 over NVLINK4 in a two-tier Clos", c.topology().describe());
    }

    @Test
    void mistakesNameTheFileAndTheKey() {
        assertTrue(error("{\"base\": \"cloudmatrix384\", \"grups\": 4}").startsWith("t.json: unknown topology key 'grups'"));
        assertTrue(error("{\"base\": \"cloudmatrix384\",\n \"groups\": }").startsWith("t.json:2:"));
        assertEquals("t.json: 'groups' must be a whole number, got \"four\"", error("{\"base\": \"small\", \"groups\": \"four\"}"));
        assertEquals("t.json: 'memoryPerNode' is needed when no 'base' preset is named",
                error("{\"groups\": 1, \"nodesPerGroup\": 2, \"link\": \"UB\", \"memory\": \"HBM-910C\"}"));
        assertTrue(error("{\"base\": \"small\", \"link\": {\"base\": \"UB\", \"lanes\": 0}}").contains("lanes must be in 1..1024"));
        assertTrue(error("{\"base\": \"small\", \"link\": {\"name\": \"X\"}}").contains("(link): 'loadStore' is needed"));
        assertTrue(error("{\"base\": \"small\", \"memoryPerNode\": \"12XB\"}").startsWith("t.json: 'memoryPerNode': "));
        assertTrue(error("{\"base\": \"nope\"}").contains("unknown preset 'nope'"));
        assertTrue(error("{\"base\": \"small\", \"seed\": 1, \"seed\": 2}").contains("key 'seed' appears twice"));
        assertEquals("t.json: expected a JSON object { ... }", error("[1, 2]"));
    }

    @Test
    void aMissingFileIsOneLine(@TempDir Path dir) throws IOException {
        Path missing = dir.resolve("absent.json");
        assertEquals(missing + ": no such file", assertThrows(ConfigFault.class, () -> TopologyFile.read(missing)).getMessage());
        Path file = Files.writeString(dir.resolve("mine.json"), "{\"base\": \"nvl72\", \"nodesPerGroup\": 8}");
        assertEquals("nvl72-custom", TopologyFile.read(file).name());
    }

    /**
     * Every number a file can set has a documented range: values that used to print negative modeled times,
     * overflow to Infinity, wrap a big integer to a small one or exhaust the heap are one-line errors naming
     * the file, the key and the range.
     */
    @Test
    void numbersOutsideTheirRangesAreRefusedNamingFileKeyAndRange() {
        String tiny = error("""
                {"base": "cloudmatrix384", "link": {"base": "UB", "readGBps": 1e-300}}""");
        assertTrue(tiny.startsWith("t.json (link): ") && tiny.contains("read bandwidth must be in"), tiny);
        String huge = error("""
                {"base": "cloudmatrix384", "link": {"base": "UB", "readGBps": 1e308}}""");
        assertTrue(huge.contains("read bandwidth must be in"), huge);
        String slow = error("""
                {"base": "cloudmatrix384", "link": {"base": "UB", "latencyNanos": 9.2e18}}""");
        assertTrue(slow.contains("latencyNanos"), slow);
        String wrapped = error("""
                {"base": "cloudmatrix384", "groups": 18446744073709551619}""");
        assertTrue(wrapped.contains("'groups' is out of range"), wrapped);
        String tlb = error("""
                {"base": "cloudmatrix384", "translationCacheEntries": 1073741824}""");
        assertTrue(tlb.contains("translation cache entries must be a power of two up to"), tlb);
        String memory = error("""
                {"base": "cloudmatrix384", "memory": {"base": "HBM-910C", "GBps": 0.0000001}}""");
        assertTrue(memory.startsWith("t.json (memory): ") && memory.contains("bandwidth must be in"), memory);
        assertTrue(error("{\"base\": \"small\", \"seed\": 1e30}").contains("'seed' is out of range"));
    }

    /** Inputs too large for memory are refused before they are read whole or allocated. */
    @Test
    void aFileOrAMachineTooLargeForTheHostIsOneLine(@TempDir Path dir) throws IOException {
        Path endless = Files.write(dir.resolve("endless.json"), new byte[JsonObject.MAX_FILE_BYTES + 1]);
        assertTrue(assertThrows(ConfigFault.class, () -> TopologyFile.read(endless)).getMessage()
                .contains("larger than " + JsonObject.MAX_FILE_BYTES + " bytes"));
        assertTrue(assertThrows(ConfigFault.class, () -> TopologyFile.read(dir)).getMessage().contains("is a directory"));
        String caches = error("""
                {"base": "small", "groups": 1024, "nodesPerGroup": 32, "translationCacheEntries": 1048576}""");
        assertTrue(caches.contains("translation cache entries exceed " + SupernodeConfig.MAX_TOTAL_TRANSLATION_ENTRIES),
                caches);
    }
}
