package io.supernode.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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
    void compareSweepsAndWritesCsvAndJson(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("sweep.csv");
        Path json = dir.resolve("sweep.json");
        Run run = run("compare", "--sizes", "8,64KiB", "--pairs", "nvlink4_vs_ib", "--paths", "UNIFIED_COPY,SEND_RECV",
                "--csv", csv.toString(), "--json", json.toString());
        assertEquals(0, run.status(), run.err());
        assertTrue(run.out().contains("nvlink4-vs-ib: NVLINK4 load/store vs ib-gpudirect"), run.out());
        assertEquals(5, Files.readAllLines(csv).size());
        assertTrue(Files.readString(json).contains("\"method\": \"SEND_RECV\""));
        Run markdown = run("compare", "--sizes", "8", "--fabric", "cxl-vs-roce", "--markdown");
        assertTrue(markdown.out().contains("| 8 B |"), markdown.out());
    }

    @Test
    void compareRefusesBadSizesAndPairsInOneLine() {
        Run size = run("compare", "--sizes", "12XB");
        assertEquals(2, size.status());
        assertTrue(size.err().contains("12XB"), size.err());
        Run pair = run("compare", "--pairs", "ub_vs_carrier_pigeon");
        assertEquals(2, pair.status());
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
        Run litmus = run("coherence", "litmus", "--test", "mp,iriw", "--runs", "200");
        assertEquals(0, litmus.status(), litmus.err());
        assertTrue(litmus.out().contains("all passed on MSI CORRECT, deterministic transport: 2 tests x 200 schedules"), litmus.out());
        Run oneThread = run("coherence", "litmus", "--test", "mp,iriw", "--runs", "200", "--threads", "1");
        assertEquals(litmus.out(), oneThread.out(), "the schedules' results do not depend on the threads sharing them");
        Run threads = run("coherence", "litmus", "--test", "sb", "--runs", "50", "--transport", "concurrent",
                "--protocol", "mesi");
        assertEquals(0, threads.status(), threads.err());
        assertTrue(threads.out().contains("concurrent transport: 1 tests x 50 repetitions"), threads.out());
        Run access = run("coherence", "litmus", "--test", "mp", "--runs", "2000", "--transport", "access");
        assertEquals(0, access.status(), access.err());
        assertTrue(access.out().contains("access transport: 1 tests x 2000 iterations on threads"), access.out());
        Run brokenAccess = run("coherence", "litmus", "--test", "mp", "--runs", "2000", "--transport", "access",
                "--variant", "owner-stays-m-after-fwd-gets");
        assertEquals(1, brokenAccess.status(), brokenAccess.out());
        assertTrue(brokenAccess.out().contains("FAILED") && brokenAccess.out().contains("SWMR"), brokenAccess.out());
        Run broken = run("coherence", "litmus", "--test", "sb", "--runs", "200", "--variant", "unordered-forward-network");
        assertEquals(1, broken.status());
        assertTrue(broken.out().contains("FAILED"), broken.out());
        Run mesi = run("coherence", "trace", "--nodes", "2", "--scenario", "0R 0W3", "--protocol", "mesi");
        assertEquals(0, mesi.status(), mesi.err());
        assertTrue(mesi.out().contains("Exclusive-Data") && !mesi.out().contains("GetM"), mesi.out());
        Run mesiTables = run("coherence", "tables", "--protocol", "MESI");
        assertTrue(mesiTables.out().contains("EI^A") && mesiTables.out().contains("PutE from Owner"), mesiTables.out());
        Run bad = run("coherence", "trace", "--scenario", "1R 9X");
        assertEquals(2, bad.status());
        assertTrue(bad.err().contains("'9X'"), bad.err());
    }

    @Test
    void embeddingRunsEveryPathChartsTheCrossoverAndRefusesBadFlagsInOneLine(@TempDir Path dir) throws Exception {
        Run run = run("embedding", "--nodes", "4", "--tables", "2", "--rows", "5000", "--dim", "16", "--batch", "64",
                "--steps", "2", "--sharding", "row-modulo", "--train", "--optimizer", "rowwise-adagrad",
                "--cache", "4KiB,64KiB", "--plot", dir.toString());
        assertEquals(0, run.status(), run.err());
        assertTrue(run.out().contains("unified-cached (4 KiB)") && run.out().contains("unified-cached (64 KiB)")
                && run.out().contains("identical on every path"), run.out());
        assertTrue(run.out().contains("training (rowwise-adagrad)") && run.out().contains("updates/step"), run.out());
        for (String chart : new String[] {"embedding-bytes-per-step", "embedding-step-time", "embedding-crossover"}) {
            assertPng(dir.resolve(chart + ".png"));
            assertTrue(Files.readString(dir.resolve(chart + ".svg")).contains("<svg"), chart + " is an SVG");
        }
        Run bad = run("embedding", "--sharding", "diagonal");
        assertEquals(2, bad.status());
        assertTrue(bad.err().contains("unknown sharding 'diagonal'") && bad.err().lines().count() == 1, bad.err());
        Run dim = run("embedding", "--dim", "100");
        assertEquals(2, dim.status());
        assertTrue(dim.err().contains("power of two"), dim.err());
    }

    @Test
    void topologyFilesBootTheMachinesTheyDescribe() {
        Run changed = run("info", "--topology", "../examples/configs/cm384-double-ub.json");
        assertEquals(0, changed.status(), changed.err());
        assertTrue(changed.out().startsWith("cm384-double-ub: 384 NPUs on 48 boards of 8 over UB*"), changed.out());
        // info wraps its long lines at 100 columns: compare with the line breaks and their indents folded.
        String unwrapped = changed.out().replaceAll("\\s+", " ");
        assertTrue(unwrapped.contains("read 334.0 GB/s / write 274.0 GB/s per lane"), changed.out());
        assertTrue(unwrapped.contains("CHANGED in ../examples/configs/cm384-double-ub.json: readGBps, writeGBps"), changed.out());
        assertTrue(changed.out().endsWith(InfoCommand.SOURCE_TAGS + "\n"), "info says what M, C, A and D mean");
        for (String line : changed.out().split("\n")) {
            assertTrue(line.length() <= TextTable.MAX_WIDTH, line);
        }
        assertFalse(java.util.regex.Pattern.compile("\\d\n +(GB/s|TB/s|ns|us|ms|B|KiB|MiB|GiB)\\b")
                .matcher(changed.out()).find(), "a number parted from its unit: " + changed.out());
        Run whole = run("info", "--topology", "../examples/configs/rack16-nvlink4.json");
        assertEquals(0, whole.status(), whole.err());
        assertTrue(whole.out().startsWith("rack16-nvlink4: 16 GPUs on 2 trays of 8 over NVLINK4"), whole.out());
        Run stacked = run("info", "--topology", "../examples/configs/dgx4-slower-ib.json");
        assertTrue(stacked.out().startsWith("dgx4-slower-ib: 32 GPUs in 4 servers of 8 over NVLINK4, servers joined by IB_NDR*"),
                stacked.out());
        assertTrue(stacked.out().contains("scale-out        IB_NDR*"), stacked.out());
        Run missing = run("info", "--topology", "../examples/configs/absent.json");
        assertEquals(2, missing.status());
        assertEquals("supernode: ../examples/configs/absent.json: no such file", missing.err().strip());
    }

    @Test
    void workloadFilesSetOptionsAndFlagsStillWin(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("emb.json");
        Run run = run("embedding", "--config", "../examples/configs/embedding-crossover.json", "--rows", "20000", "--nodes", "4",
                "--tables", "2", "--batch", "128", "--steps", "1", "--cache", "256KiB", "--csv", dir.resolve("e.csv").toString(),
                "--json", json.toString());
        assertEquals(0, run.status(), run.err());
        assertTrue(run.out().startsWith("4 nodes, 2 tables x 20,000 rows x 64 floats"), run.out());
        assertTrue(run.out().contains("Zipf 1.50"), "the file's exponent is used: " + run.out());
        assertFalse(run.out().contains("updates/step"), "no updates column without training: " + run.out());
        assertTrue(Files.readString(json).contains("\"zipf\": 1.5"));
        Path file = Files.writeString(dir.resolve("w.json"), "{\"rows\": 5000, \"nodes\": 2, \"tables\": 1, \"batch\": 16,"
                + " \"steps\": 1, \"paths\": [\"copy\"], \"json\": \"sub/out.json\"}");
        assertEquals(0, run("embedding", "--config", file.toString()).status());
        assertTrue(Files.exists(dir.resolve("sub/out.json")), "relative paths are taken from the file's folder");
        assertTrue(run("kv", "--config", "../examples/configs/kv-multi-tenant.json", "--requests", "50", "--no-payload",
                "--json", dir.resolve("kv.json").toString()).out().contains("pooled-copy"));
    }

    @Test
    void aBadWorkloadFileIsOneLineNamingTheFile(@TempDir Path dir) throws Exception {
        Path typo = Files.writeString(dir.resolve("typo.json"), "{\"nodez\": 3}");
        Run unknown = run("embedding", "--config", typo.toString());
        assertEquals(2, unknown.status());
        assertEquals("supernode: " + typo + ": 'nodez' is not an option of 'supernode embedding' (keys are its long option"
                + " names without the dashes; see its --help)", unknown.err().strip());
        Path broken = Files.writeString(dir.resolve("broken.json"), "{\"nodes\": 3,\n");
        Run malformed = run("embedding", "--config", broken.toString());
        assertEquals(2, malformed.status());
        assertTrue(malformed.err().startsWith("supernode: " + broken + ":2:1: malformed JSON"), malformed.err());
        Path wrong = Files.writeString(dir.resolve("wrong.json"), "{\"nodes\": \"many\"}");
        Run value = run("embedding", "--config", wrong.toString());
        assertEquals(2, value.status());
        assertTrue(value.err().contains("'many' is not a whole number (from " + wrong + ")"), value.err());
        assertEquals("supernode: nowhere.json: no such file", run("kv", "--config", "nowhere.json").err().strip());
    }

    @Test
    void reportRefusesAMissingOrForeignJmhFileBeforeRunning(@TempDir Path dir) throws Exception {
        Run missing = run("report", "--quick", "--out", dir.toString(), "--jmh", "absent.json");
        assertEquals(2, missing.status());
        assertEquals("supernode: absent.json: no such file", missing.err().strip());
        Path foreign = Files.writeString(dir.resolve("f.json"), "[{\"name\": 1}]");
        Run wrong = run("report", "--quick", "--out", dir.toString(), "--jmh", foreign.toString());
        assertEquals("supernode: " + foreign + ": not JMH JSON (a run without a primaryMetric)", wrong.err().strip());
        assertFalse(Files.exists(dir.resolve("report.html")), "nothing ran");
    }

    @Test
    void infoDescribesThePreset() {
        Run run = run("info", "--preset", "cloudmatrix384", "--json");
        assertEquals(0, run.status(), run.err());
        assertTrue(run.out().contains("\"nodes\": 384"), run.out());
        assertTrue(run.out().contains("\"nominal_memory_bytes\": " + (48L << 40)), run.out());
    }

    /**
     * One exit-status convention: 0 the run went through, 1 the run found a failure, 2 bad usage or input, and no
     * command or an unknown one is bad usage, said in one line.
     */
    @Test
    void exitStatusesFollowOneConvention() {
        Run none = run();
        assertEquals(2, none.status());
        assertTrue(none.err().strip().endsWith("supernode: no command given; name one of the commands above (see "
                + "'supernode --help')"), none.err());
        Run bogus = run("bogus");
        assertEquals(2, bogus.status());
        assertEquals(1, bogus.err().strip().lines().count(), bogus.err());
        assertTrue(bogus.err().startsWith("supernode: unknown command 'bogus' (known: demo, info,"), bogus.err());
        Run option = run("kv", "--bogus");
        assertEquals(2, option.status());
        assertEquals(1, option.err().strip().lines().count(), option.err());
        Run found = run("collective", "--preset", "small", "-b", "1K", "-e", "1K", "--algo", "nvls");
        assertEquals(2, found.status(), "a forced algorithm the machine cannot run is bad input");
    }

    @Test
    void kvPrintsSloAttainmentPerPathAndRefusesABadLimit() {
        Run slo = run("kv", "--requests", "40", "--no-payload", "--token-budget", "2048", "--slo", "100,20");
        assertEquals(0, slo.status(), slo.err());
        assertTrue(slo.out().contains("TTFT <= 100.0 ms") && slo.out().contains("TBT <= 20.0 ms"), slo.out());
        assertEquals(3, slo.out().lines().filter(l -> l.matches("(local-only|pooled-\\w+) +[0-9.]+ % +[0-9.]+ %"))
                .count(), slo.out());
        assertEquals(2, run("kv", "--slo", "0").status());
    }

    /** Subcommands missing or unknown, a folder for a file, a word for a number, broken JSON: exit 2, in words. */
    @Test
    void badUsageBelowTheTopIsSaidInOneLineWithStatusTwo(@TempDir Path dir) throws IOException {
        Run none = run("coherence");
        assertEquals(2, none.status());
        assertTrue(none.err().contains("supernode: no subcommand given; name one of tables, explore, trace, litmus"),
                none.err());
        Run bogus = run("coherence", "bogus");
        assertEquals(2, bogus.status());
        assertEquals("supernode: unknown command 'bogus' of 'supernode coherence' (known: tables, explore, trace, "
                + "litmus) (see 'supernode coherence --help')", bogus.err().strip());
        Run folder = run("kv", "--trace", dir.toString());
        assertEquals(2, folder.status(), "a trace that cannot be read is bad input: " + folder.err());
        Run word = run("kv", "--requests", "abc");
        assertEquals(2, word.status());
        assertTrue(word.err().contains("'abc' is not a whole number"), word.err());
        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "{\"requests\": 5");
        Run json = run("kv", "--config", broken.toString());
        assertEquals(2, json.status());
        assertTrue(json.err().contains("(start marker at line 1, column 1)") && !json.err().contains("Source"),
                json.err());
    }

    /**
     * Paths are chosen with {@code --paths} on every command, {@code --path} kept as another name, and a config
     * file may use either key: the value is applied, not silently dropped.
     */
    @Test
    void pathsHaveOneOptionNameAndTheOldOneStillWorks(@TempDir Path dir) throws IOException {
        for (String name : List.of("--paths", "--path")) {
            Run run = run("kv", "--requests", "20", "--no-payload", name, "pooled-copy");
            assertEquals(0, run.status(), run.err());
            assertTrue(run.out().contains("pooled-copy") && !run.out().contains("local-only "), run.out());
        }
        Path config = dir.resolve("kv.json");
        Files.writeString(config, "{\"path\": [\"local-only\"], \"requests\": 20}");
        Run fromFile = run("kv", "--config", config.toString(), "--no-payload");
        assertEquals(0, fromFile.status(), fromFile.err());
        assertTrue(fromFile.out().contains("local-only") && !fromFile.out().contains("pooled-copy "), fromFile.out());
        for (String command : List.of("kv", "collective", "moe")) {
            String help = run(command, "--help").out();
            assertTrue(help.contains("--paths=") && !help.contains("--path,") && !help.contains("--path="), help);
        }
    }

    /** The --config example kv's help prints runs as it says (ConfigExamplesTest parses every command's). */
    @Test
    void theConfigExampleInKvsHelpRuns(@TempDir Path dir) throws IOException {
        String example = ConfigExamples.BY_COMMAND.get("kv");
        assertTrue(run("kv", "--help").out().replaceAll("\\s+", " ").contains(example));
        Path file = dir.resolve("example.json");
        Files.writeString(file, example);
        Run run = run("kv", "--config", file.toString(), "--no-payload");
        assertEquals(0, run.status(), example + ": " + run.err());
        assertTrue(run.out().contains("local-only") && run.out().contains("pooled-copy"), run.out());
    }

    /** With its defaults, kv routes round-robin, where pooling shows: local-only hits fewer blocks than pooled. */
    @Test
    void kvDefaultsShowWhatPoolingBuys() {
        Run run = run("kv", "--requests", "300", "--no-payload");
        assertEquals(0, run.status(), run.err());
        assertTrue(run.out().contains("round-robin router"), run.out());
        double local = hitRate(run.out(), "local-only");
        double pooled = hitRate(run.out(), "pooled-unified");
        assertTrue(local + 5 < pooled, "local-only " + local + " % against pooled " + pooled + " %");
    }

    private static double hitRate(String out, String path) {
        String line = out.lines().filter(l -> l.startsWith(path + " ")).findFirst().orElseThrow();
        return Double.parseDouble(line.substring(path.length()).trim().split("\\s+")[0]);
    }

    @Test
    void anUnknownPresetIsOneLineAndExitStatusTwo() {
        Run run = run("info", "--preset", "cloudmatrix999");
        assertEquals(2, run.status());
        assertEquals(1, run.err().strip().lines().count(), run.err());
        assertTrue(run.err().contains("unknown preset 'cloudmatrix999'"), run.err());
        assertFalse(run.err().contains("\tat "), "no stack trace without --debug");
    }

    @Test
    void debugAddsTheStackTrace() {
        Run run = run("info", "--preset", "nope", "--debug");
        assertEquals(2, run.status());
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
        for (String command : new String[] {"demo", "info", "compare", "kv", "embedding", "coherence", "report"}) {
            Run help = run(command, "--help");
            assertEquals(0, help.status());
            assertTrue(help.out().contains("Usage: supernode " + command), help.out());
        }
        Run version = run("--version");
        assertEquals(0, version.status());
        assertTrue(version.out().startsWith("supernode "), version.out());
    }

    @Test
    void kvReplaysTheGeneratorOnThreePathsAndWritesCsvJsonAndCharts(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("kv.csv");
        Path json = dir.resolve("kv.json");
        Path plots = dir.resolve("plots");
        Run run = run("kv", "--requests", "150", "--block-tokens", "64", "--capacity-tokens", "8k", "--router",
                "round-robin", "--csv", csv.toString(), "--json", json.toString(), "--plot", plots.toString());
        assertEquals(0, run.status(), run.err());
        assertTrue(run.out().contains("local-only") && run.out().contains("pooled-unified")
                && run.out().contains("pooled-copy"), run.out());
        assertTrue(run.out().contains("decode outputs identical on every path"), run.out());
        assertEquals(4, Files.readAllLines(csv).size(), "a header and one row per path");
        assertTrue(Files.readString(json).contains("\"path\": \"pooled-copy\""));
        for (String chart : new String[] {"kv-hit-rate-vs-capacity", "kv-ttft-cdf"}) {
            assertPng(plots.resolve(chart + ".png"));
            assertTrue(Files.readString(plots.resolve(chart + ".svg")).contains("<svg"), chart + " is an SVG");
        }
    }

    @Test
    void kvReadsATraceSliceAndRefusesBadInputInOneLine(@TempDir Path dir) throws Exception {
        Path trace = dir.resolve("t.jsonl");
        Files.writeString(trace, """
                {"timestamp": 0, "input_length": 700, "output_length": 5, "hash_ids": [0, 1]}
                {"timestamp": 10, "input_length": 600, "output_length": 5, "hash_ids": [0, 2]}
                {"timestamp": 20, "input_length": 600, "output_length": 5, "hash_ids": [0, 2, 3]}
                """);
        Run ok = run("kv", "--trace", trace.toString(), "--nodes", "2", "--limit", "2", "--path", "pooled-copy");
        assertEquals(0, ok.status(), ok.err());
        assertTrue(ok.out().contains("2 requests, 4 blocks"), ok.out());
        Run malformed = run("kv", "--trace", trace.toString());
        assertEquals(2, malformed.status());
        assertEquals("supernode: " + trace + ":3: 3 hash_ids for input_length 600: expected 2 blocks of 512 tokens",
                malformed.err().strip());
        Run skipped = run("kv", "--trace", trace.toString(), "--skip-malformed", "--no-payload");
        assertEquals(0, skipped.status(), skipped.err());
        assertTrue(skipped.out().contains("skipped 1 malformed lines"), skipped.out());
        Run missing = run("kv", "--trace", dir.resolve("nope.jsonl").toString());
        assertEquals(2, missing.status());
        assertEquals(1, missing.err().strip().lines().count(), missing.err());
        assertTrue(missing.err().contains("does not exist"), missing.err());
        Run capacity = run("kv", "--capacity-tokens", "lots");
        assertEquals(2, capacity.status());
        assertTrue(capacity.err().contains("'lots' is not a token count"), capacity.err());
        Run router = run("kv", "--router", "psychic", "--requests", "5");
        assertEquals(2, router.status());
        assertTrue(router.err().startsWith("supernode: unknown router 'psychic'"), router.err());
    }

    @Test
    void moeRunsBothModesAndPathsOverEpSizesAndWritesCsvJsonAndAChart(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("m.csv");
        Path json = dir.resolve("m.json");
        Run run = run("moe", "--preset", "small", "--ep", "4,8", "--tokens", "32", "--hidden", "256", "--topk", "4",
                "--experts", "16", "--routing", "zipf:1", "--dispatch", "int8", "--csv", csv.toString(), "--json",
                json.toString(), "--plot", dir.toString());
        assertEquals(0, run.status(), run.err());
        assertTrue(run.out().contains("# moe dispatch and combine on small: hidden 256, top-4 of 16 experts, routing "
                + "zipf:1.0,\n#   int8 dispatch"), run.out());
        assertTrue(run.out().contains("bit for bit: 0 in all"), run.out());
        assertEquals(1 + 2 * 2 * 2, Files.readAllLines(csv).size());
        assertTrue(Files.readString(json).contains("\"mode\": \"low-latency\""));
        assertPng(dir.resolve("moe-time.png"));
        for (String line : run.out().split("\n")) {
            assertTrue(line.length() <= 100, "wider than 100 columns: " + line);
        }
        Run step = run("moe", "--preset", "small", "--step", "decode", "--ep", "8", "--batch", "32", "--context", "1024",
                "--json", json.toString(), "--plot", dir.toString());
        assertEquals(0, step.status(), step.err());
        assertTrue(step.out().contains("# decode step of deepseek-v3 on small (ascend-910c), 32 sequences per rank"),
                step.out());
        assertTrue(Files.readString(json).contains("\"kind\": \"decode\""));
        assertPng(dir.resolve("moe-step.png"));
        Run badStep = run("moe", "--preset", "small", "--step", "train");
        assertEquals(2, badStep.status());
        assertTrue(badStep.err().contains("--step must be decode or prefill, got 'train'"), badStep.err());
        Run stray = run("moe", "--preset", "small", "--batch", "8");
        assertEquals(2, stray.status());
        assertTrue(stray.err().contains("--batch needs --step"), stray.err());
        Run strayStep = run("moe", "--preset", "small", "--step", "decode", "--hidden", "1024");
        assertEquals(2, strayStep.status());
        assertTrue(strayStep.err().contains("--hidden sets the kernels alone"), strayStep.err());
        Run bad = run("moe", "--preset", "small", "--ep", "3");
        assertEquals(2, bad.status());
        assertTrue(bad.err().contains("256 experts do not spread evenly over 3 ranks"), bad.err());
        Run routing = run("moe", "--preset", "small", "--routing", "groups:x");
        assertEquals(2, routing.status());
        assertTrue(routing.err().contains("routing 'groups:x' has no number after the colon"), routing.err());
    }

    @Test
    void collectiveSweepsBothPathsLikeNcclTestsAndWritesCsvJsonAndAChart(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("c.csv");
        Path json = dir.resolve("c.json");
        Run run = run("collective", "--preset", "small", "-o", "reduce_scatter", "-b", "64", "-e", "64K", "-f", "32",
                "-d", "half", "--csv", csv.toString(), "--json", json.toString(), "--plot", dir.toString());
        assertEquals(0, run.status(), run.err());
        assertTrue(run.out().contains("# reduce_scatter, half, sum, root 0, on 8 ranks of small"), run.out());
        assertTrue(run.out().contains("over the bytes moved: 0 in all"), run.out());
        assertEquals(1 + 3 * 2, Files.readAllLines(csv).size());
        assertTrue(Files.readString(json).contains("\"transport\": \"copy\""));
        assertPng(dir.resolve("collective-busbw.png"));
        for (String line : run.out().split("\n")) {
            assertTrue(line.length() <= 100, "wider than 100 columns: " + line);
        }
        Run bad = run("collective", "--preset", "small", "-o", "all_reduce", "-d", "int8");
        assertEquals(2, bad.status());
        assertTrue(bad.err().contains("bytes are moved, not reduced"), bad.err());
    }

    private static void assertPng(Path file) throws IOException {
        byte[] png = Files.readAllBytes(file);
        assertTrue(png.length > 1000 && png[0] == (byte) 0x89 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G', file + " is a PNG");
    }
}
