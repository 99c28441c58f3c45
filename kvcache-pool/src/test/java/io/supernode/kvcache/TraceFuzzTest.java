package io.supernode.kvcache;

import io.supernode.kvcache.trace.MooncakeTraceReader;
import io.supernode.kvcache.trace.Request;
import io.supernode.kvcache.trace.TraceFormatException;
import io.supernode.kvcache.trace.TraceLoad;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Seeded bad trace lines: every mutation of a good Mooncake line either reads as a request within the
 * documented ranges or is a {@link TraceFormatException} naming the file and line 1 in one line, never another
 * exception. {@code -Dsupernode.faults.seed=N} replays a run; the seed is in every failure message.
 */
class TraceFuzzTest {

    private static final String GOOD = "{\"timestamp\": 1500, \"input_length\": 600, \"output_length\": 10, \"hash_ids\": [0, 1]}";
    private static final List<String> BAD_VALUES = List.of("-1", "0", "1e308", "-1e308", "99999999999999999999",
            "9223372036854775807", "NaN", "\"x\"", "null", "true", "[]", "{}", "[1,", "1.5", "\"\"", "[0, -3]",
            "[99999999999999999999]", "[1e3]", "[[0]]", "16777217", "1e12", "1000000000001");
    private static final List<String> FIELDS = List.of("timestamp", "input_length", "output_length", "hash_ids");
    private static final String JSON_CHARS = "{}[],:\"0-e ";
    private static final int LINES = 2_000;

    @Test
    void everyMutatedLineReadsWithinRangeOrIsATypedOneLineError(@TempDir Path dir) throws IOException {
        long seed = Long.getLong("supernode.faults.seed", 7);
        SplittableRandom random = new SplittableRandom(seed);
        MooncakeTraceReader reader = new MooncakeTraceReader(false, null, 0);
        int accepted = 0;
        int refused = 0;
        for (int i = 0; i < LINES; i++) {
            String line = mutate(GOOD, random);
            Path file = Files.writeString(dir.resolve("t" + (i % 16) + ".jsonl"), line + "\n");
            String context = "seed " + seed + ", line " + i + ": " + line;
            try {
                TraceLoad load = reader.read(file);
                for (Request r : load.requests()) {
                    assertTrue(r.inputTokens() >= 1 && r.inputTokens() <= MooncakeTraceReader.MAX_TOKENS
                            && r.outputTokens() >= 0 && r.outputTokens() <= MooncakeTraceReader.MAX_TOKENS
                            && r.arrivalNanos() >= 0 && r.arrivalNanos() <= MooncakeTraceReader.MAX_TIMESTAMP_MILLIS * 1e6,
                            context);
                }
                accepted++;
            } catch (TraceFormatException e) {
                assertEquals(1, e.line(), context);
                assertTrue(e.getMessage().startsWith(file + ":1: ") && !e.getMessage().contains("\n"),
                        context + " -> " + e.getMessage());
                refused++;
            } catch (RuntimeException e) {
                fail(context + " -> raw " + e, e);
            }
        }
        assertEquals(LINES, accepted + refused);
        assertTrue(refused > LINES / 2, "seed " + seed + ": only " + refused + " of " + LINES + " mutations were bad");
    }

    /** One to three edits: a field's value replaced, a character dropped, inserted or the line cut short. */
    private static String mutate(String line, SplittableRandom random) {
        String s = line;
        int edits = 1 + random.nextInt(3);
        for (int e = 0; e < edits && !s.isEmpty(); e++) {
            switch (random.nextInt(5)) {
                case 0, 1 -> {
                    String field = FIELDS.get(random.nextInt(FIELDS.size()));
                    String value = BAD_VALUES.get(random.nextInt(BAD_VALUES.size()));
                    s = s.replaceFirst("\"" + field + "\": (\\[[^]]*]|[^,}]*)", "\"" + field + "\": "
                            + java.util.regex.Matcher.quoteReplacement(value));
                }
                case 2 -> {
                    int at = random.nextInt(s.length());
                    s = s.substring(0, at) + s.substring(at + 1);
                }
                case 3 -> {
                    int at = random.nextInt(s.length() + 1);
                    s = s.substring(0, at) + JSON_CHARS.charAt(random.nextInt(JSON_CHARS.length())) + s.substring(at);
                }
                default -> s = s.substring(0, random.nextInt(s.length()));
            }
        }
        return s.isBlank() ? "x" : s;
    }
}
