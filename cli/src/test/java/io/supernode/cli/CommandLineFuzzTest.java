package io.supernode.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Seeded bad command lines over every option of the commands that run in seconds: each command starts from
 * a small workload and gets one or two of its options (found through picocli, so new options are covered
 * without touching this test) set to values from a pool of bad ones. Whatever the outcome, the error
 * stream holds at most one line (plus picocli's pointer to --help) and never a Java class name or a stack
 * trace. {@code -Dsupernode.faults.seed=N} replays a run, {@code -Dsupernode.faults.lines=N} runs more than the
 * 120 lines of a build; the seed and the command line are in every failure.
 */
class CommandLineFuzzTest {

    private static final int LINES = Integer.getInteger("supernode.faults.lines", 120);
    private static final Map<String, String> SMALL = Map.of(
            "kv", "kv --requests 20 --no-payload",
            "embedding", "embedding --rows 1000 --steps 1 --batch 64 --tables 2 --nodes 4",
            "compare", "compare --sizes 8 --pairs cxl_vs_roce",
            "collective", "collective --preset small -b 8 -e 4K -f 64 --nodes 4",
            "coherence explore", "coherence explore --ops 1 --protocol msi --variant correct",
            "coherence litmus", "coherence litmus --runs 5",
            "coherence trace", "coherence trace",
            "info", "info");
    private static final Set<String> SKIPPED = Set.of("--help", "--version", "--debug");
    private static final List<String> BAD = List.of("-1", "0", "2000000000", "9999999999999", "1e308", "NaN", "abc", "",
            "-0.5", "1,,2", "Infinity", "0x10", "1e-300", "bogus,unified");

    @Test
    void everyBadOptionValueIsOneLineWithoutAJavaName(@TempDir Path dir) throws IOException {
        long seed = Long.getLong("supernode.faults.seed", 11);
        SplittableRandom random = new SplittableRandom(seed);
        Path file = Files.writeString(dir.resolve("a-file"), "{}");
        List<String> paths = List.of("", dir.toString(), file.resolve("below-a-file").toString(),
                dir.resolve("absent/none.json").toString(), file.toString());
        List<String> commands = List.copyOf(SMALL.keySet()).stream().sorted().toList();
        int refused = 0;
        for (int i = 0; i < LINES; i++) {
            String command = commands.get(random.nextInt(commands.size()));
            List<String> args = new ArrayList<>(Arrays.asList(SMALL.get(command).split(" ")));
            List<OptionSpec> options = options(command);
            for (int k = 1 + random.nextInt(2); k > 0; k--) {
                OptionSpec option = options.get(random.nextInt(options.size()));
                boolean isPath = option.type() == Path.class;
                List<String> pool = isPath ? paths : BAD;
                args.add(option.longestName() + "=" + pool.get(random.nextInt(pool.size())));
            }
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int status = SupernodeCli.execute(args.toArray(String[]::new), new PrintWriter(out, true),
                    new PrintWriter(err, true));
            String context = "seed " + seed + ", line " + i + ": supernode " + String.join(" ", args) + "\n" + err;
            String[] lines = err.toString().strip().split("\n");
            if (status != 0) {
                refused++;
                assertTrue(lines[0].startsWith("supernode: "), context);
            }
            assertEquals(1, lines.length, context);
            assertTrue(!err.toString().contains("Exception") && !err.toString().contains("java.")
                    && !err.toString().contains("io.supernode.") && !err.toString().contains("\tat "), context);
        }
        assertTrue(refused > LINES / 2, "seed " + seed + ": only " + refused + " of " + LINES + " lines were refused");
    }

    /** The options of {@code command} (e.g. "coherence litmus") that take a value, as picocli declares them. */
    private static List<OptionSpec> options(String command) {
        CommandLine line = new CommandLine(new SupernodeCli());
        for (String name : command.split(" ")) {
            line = line.getSubcommands().get(name);
        }
        return line.getCommandSpec().options().stream()
                .filter(o -> !SKIPPED.contains(o.longestName()) && o.arity().max() > 0)
                .toList();
    }
}
