package io.supernode.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line as people meet it: output on success, one line and a non-zero status on error. */
class SupernodeCliTest {

    private record Run(int status, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = SupernodeCli.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(status, out.toString(), err.toString());
    }

    @Test
    void demoTourRunsOnTheSmallPresetAndWritesItsStats(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("stats.json");
        Run run = run("demo", "--preset", "small", "--json", json.toString(), "--csv", dir.resolve("csv").toString());
        assertEquals(0, run.status(), run.err());
        String stats = Files.readString(json);
        assertTrue(stats.contains("\"kind\": \"BULK_READ\""), stats);
        assertTrue(Files.readString(dir.resolve("csv/links.csv")).startsWith("link,name,bytes,busy_ns,transfers"));
    }

    @Test
    void theReadmeApiExampleRuns() {
        QuickStart.main(new String[0]);
    }

    @Test
    void compareSweepsAndWritesCsvAndJson(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("sweep.csv");
        Path json = dir.resolve("sweep.json");
        Run run = run("compare", "--sizes", "8,64KiB", "--pairs", "nvlink4_vs_ib", "--paths", "UNIFIED_COPY,SEND_RECV",
                "--csv", csv.toString(), "--json", json.toString());
        assertEquals(0, run.status(), run.err());
        assertTrue(run.out().contains("NVLINK4_VS_IB: NVLINK4 load/store vs IB_GPUDIRECT"), run.out());
        assertEquals(5, Files.readAllLines(csv).size());
        assertTrue(Files.readString(json).contains("\"method\": \"SEND_RECV\""));
        Run markdown = run("compare", "--sizes", "8", "--pairs", "cxl_vs_roce", "--markdown");
        assertTrue(markdown.out().contains("| 8 B |"), markdown.out());
    }

    @Test
    void compareRefusesBadSizesAndPairsInOneLine() {
        Run size = run("compare", "--sizes", "12XB");
        assertEquals(1, size.status());
        assertTrue(size.err().contains("12XB"), size.err());
        Run pair = run("compare", "--pairs", "ub_vs_carrier_pigeon");
        assertEquals(1, pair.status());
        assertTrue(pair.err().contains("unknown fabric pair"), pair.err());
    }

    @Test
    void coherenceTablesExploreAndTrace() {
        Run tables = run("coherence", "tables");
        assertEquals(0, tables.status(), tables.err());
        assertTrue(tables.out().contains("IM^AD") && tables.out().contains("S^D"), tables.out());
        Run explore = run("coherence", "explore", "--nodes", "2", "--variant", "CORRECT,OWNER_STAYS_M_AFTER_FWD_GETS");
        assertEquals(0, explore.status(), explore.err());
        assertTrue(explore.out().contains("holds") && explore.out().contains("SWMR in"), explore.out());
        Run trace = run("coherence", "trace", "--nodes", "3", "--scenario", "1R 2W5 1R", "--mermaid");
        assertEquals(0, trace.status(), trace.err());
        assertTrue(trace.out().startsWith("sequenceDiagram"), trace.out());
        assertTrue(trace.out().contains("Dir->>N2: Data v=0 acks=1"), trace.out());
        Run bad = run("coherence", "trace", "--scenario", "1R 9X");
        assertEquals(1, bad.status());
        assertTrue(bad.err().contains("'9X'"), bad.err());
    }

    @Test
    void infoDescribesThePreset() {
        Run run = run("info", "--preset", "cloudmatrix384", "--json");
        assertEquals(0, run.status(), run.err());
        assertTrue(run.out().contains("\"nodes\": 384"), run.out());
        assertTrue(run.out().contains("\"nominal_memory_bytes\": " + (48L << 40)), run.out());
    }

    @Test
    void anUnknownPresetIsOneLineAndExitStatusOne() {
        Run run = run("info", "--preset", "cloudmatrix999");
        assertEquals(1, run.status());
        assertEquals(1, run.err().strip().lines().count(), run.err());
        assertTrue(run.err().contains("unknown preset 'cloudmatrix999'"), run.err());
        assertFalse(run.err().contains("\tat "), "no stack trace without --debug");
    }

    @Test
    void debugAddsTheStackTrace() {
        Run run = run("info", "--preset", "nope", "--debug");
        assertEquals(1, run.status());
        assertTrue(run.err().contains("\tat "), run.err());
    }

    @Test
    void badUsageExitsTwoAndPointsAtHelp() {
        Run run = run("info", "--frobnicate");
        assertEquals(2, run.status());
        assertTrue(run.err().contains("--help"), run.err());
    }

    @Test
    void everyCommandHasHelpAndVersion() {
        for (String command : new String[] {"demo", "info", "compare", "coherence"}) {
            Run help = run(command, "--help");
            assertEquals(0, help.status());
            assertTrue(help.out().contains("Usage: supernode " + command), help.out());
        }
        Run version = run("--version");
        assertEquals(0, version.status());
        assertTrue(version.out().startsWith("supernode "), version.out());
    }
}
