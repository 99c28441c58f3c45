package io.supernode.kvcache;

import io.supernode.kvcache.trace.GeneratorOptions;
import io.supernode.kvcache.trace.MooncakeTraceReader;
import io.supernode.kvcache.trace.Request;
import io.supernode.kvcache.trace.SyntheticTraceGenerator;
import io.supernode.kvcache.trace.TraceFormatException;
import io.supernode.kvcache.trace.TraceLoad;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Mooncake reader's handling of good and bad lines, and the generator's determinism. */
class TraceReaderTest {

    private static final String GOOD = """
            {"timestamp": 0, "input_length": 600, "output_length": 10, "hash_ids": [0, 1]}

            {"timestamp": 1500, "input_length": 512, "output_length": 3, "hash_ids": [0], "extra": {"a": [1]}}
            """;

    @Test
    void readsRequestsInTheMooncakeFormat(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("t.jsonl"), GOOD);
        TraceLoad load = new MooncakeTraceReader(false, null, 0).read(file);
        assertEquals(2, load.requests().size());
        Request second = load.requests().get(1);
        assertEquals(1_500_000_000L, second.arrivalNanos());
        assertEquals(512, second.inputTokens());
        assertArrayEquals(new long[] {0}, second.blockKeys());
        assertEquals(88, load.requests().get(0).tokensInBlock(1, 512));
    }

    @Test
    void aMalformedLineNamesFileAndLine(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("bad.jsonl"), GOOD + """
                {"timestamp": 2000, "input_length": 2000, "output_length": 3, "hash_ids": [4, 5]}
                """);
        TraceFormatException e = assertThrows(TraceFormatException.class,
                () -> new MooncakeTraceReader(false, null, 0).read(file));
        assertEquals(4, e.line());
        assertTrue(e.getMessage().endsWith("bad.jsonl:4: 2 hash_ids for input_length 2000: expected 4 blocks of 512 tokens"),
                e.getMessage());
    }

    @Test
    void everyKindOfBadLineIsReportedAndCanBeSkippedAndCounted(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("mixed.jsonl"), GOOD + """
                {"timestamp": 1, "input_length": 5}
                not json
                {"timestamp": "soon", "input_length": 5, "output_length": 1, "hash_ids": [1]}
                {"timestamp": 3, "input_length": 5, "output_length": 1, "hash_ids": [-1]}
                [1, 2]
                {"timestamp": 3, "input_length": 5, "output_length": 1, "hash_ids": [7]} trailing
                """);
        TraceLoad load = new MooncakeTraceReader(true, null, 0).read(file);
        assertEquals(2, load.requests().size());
        assertEquals(6, load.skippedLines());
        assertEquals(5, load.firstProblems().size());
        assertTrue(load.firstProblems().get(0).endsWith("mixed.jsonl:4: missing output_length"), load.firstProblems().get(0));
        assertTrue(load.firstProblems().get(1).contains("mixed.jsonl:5: not JSON"), load.firstProblems().get(1));
        assertTrue(load.firstProblems().get(2).endsWith(":6: timestamp must be a number, got soon"));
        assertTrue(load.firstProblems().get(3).endsWith(":7: hash_ids must hold non-negative integers, got -1"));
        assertTrue(load.firstProblems().get(4).endsWith(":8: expected a JSON object"));
    }

    @Test
    void aMissingFileIsOneClearLine() {
        KvConfigException e = assertThrows(KvConfigException.class,
                () -> new MooncakeTraceReader(false, null, 0).read(Path.of("no-such-trace.jsonl")));
        assertEquals("trace file 'no-such-trace.jsonl' does not exist", e.getMessage());
    }

    @Test
    void outOfOrderTimestampsAreSortedAndALimitReadsAPrefix(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("late.jsonl"), """
                {"timestamp": 9, "input_length": 1, "output_length": 1, "hash_ids": [1]}
                {"timestamp": 2, "input_length": 1, "output_length": 1, "hash_ids": [2]}
                {"timestamp": 5, "input_length": 1, "output_length": 1, "hash_ids": [3]}
                """);
        TraceLoad all = new MooncakeTraceReader(false, null, 0).read(file);
        assertArrayEquals(new long[] {2}, all.requests().get(0).blockKeys());
        assertEquals(0, all.requests().get(0).id());
        assertEquals(2, new MooncakeTraceReader(false, null, 2).read(file).requests().size());
    }

    @Test
    void theGeneratorIsDeterministicPerSeedAndSessionsReuseTheirPrefixes() {
        GeneratorOptions options = GeneratorOptions.defaults(11).withRequests(300);
        TraceLoad a = SyntheticTraceGenerator.generate(options);
        TraceLoad b = SyntheticTraceGenerator.generate(options);
        for (int i = 0; i < a.requests().size(); i++) {
            assertArrayEquals(a.requests().get(i).blockKeys(), b.requests().get(i).blockKeys(), "seed 11 request " + i);
            assertEquals(a.requests().get(i).arrivalNanos(), b.requests().get(i).arrivalNanos());
        }
        TraceLoad other = SyntheticTraceGenerator.generate(GeneratorOptions.defaults(12).withRequests(300));
        assertTrue(a.blocks() != other.blocks() || a.inputTokens() != other.inputTokens());
        double seconds = a.requests().getLast().arrivalNanos() / 1e9;
        assertEquals(300 / 4.0, seconds, 300 / 4.0 * 0.25, "Poisson arrivals at 4 per second");
        long firstBlocksShared = a.requests().stream().map(r -> r.blockKeys()[0]).distinct().count();
        assertTrue(firstBlocksShared <= 16, "every prompt opens with one of 16 system prompts: " + firstBlocksShared);
    }

    /** Before, a file without line breaks was read whole and the JVM died of an OutOfMemoryError. */
    @Test
    void aLineTooLongForMemoryIsRefusedNamingFileAndLine(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("long.jsonl"), GOOD + "x".repeat(MooncakeTraceReader.MAX_LINE_CHARS + 1));
        TraceFormatException e = assertThrows(TraceFormatException.class, () -> new MooncakeTraceReader(false, null, 0).read(file));
        assertTrue(e.getMessage().contains("long.jsonl:4") && e.getMessage().contains("line longer than"), e.getMessage());
        Path crlf = Files.writeString(dir.resolve("crlf.jsonl"), GOOD.replace("\n", "\r\n"));
        assertEquals(2, new MooncakeTraceReader(false, null, 0).read(crlf).requests().size(), "CRLF line ends still read");
    }

    /** Before, 2,000,000,000 requests ran the generator out of heap. */
    @Test
    void moreRequestsThanMemoryHoldsAreRefusedBeforeAnyIsMade() {
        assertThrows(KvConfigException.class, () -> GeneratorOptions.defaults(1).withTenants(2_000_000_000));
        KvConfigException turns = assertThrows(KvConfigException.class, () -> new GeneratorOptions(1, 10, 1, 64, 1.0,
                1e13, 10, 10, 1, 1, 128, 16));
        assertTrue(turns.getMessage().contains("mean turns"), turns.getMessage());
        assertThrows(KvConfigException.class, () -> GeneratorOptions.defaults(1).withRequests(GeneratorOptions.MAX_REQUESTS + 1));
        assertEquals(GeneratorOptions.MAX_REQUESTS, GeneratorOptions.defaults(1).withRequests(GeneratorOptions.MAX_REQUESTS).requests());
    }
}
