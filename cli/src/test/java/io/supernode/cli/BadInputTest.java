package io.supernode.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Inputs too large for memory, numbers out of their documented ranges and paths that cannot be written are
 * refused before any work: a non-zero status, nothing printed on standard output, and one line on standard
 * error naming what was wrong without a Java class name. Each command line here once ran for minutes, ran
 * the host out of memory, or failed only after the whole run.
 */
class BadInputTest {

    @TempDir
    static Path dir;
    private static Path file;
    private static Path huge;

    @BeforeAll
    static void files() throws IOException {
        file = Files.writeString(dir.resolve("a-file"), "not a folder");
        huge = Files.write(dir.resolve("huge.json"), new byte[(1 << 20) + 1]);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "kv --requests 50 --csv FILE/x",
            "kv --requests 50 --json DIR",
            "kv --requests 50 --plot FILE",
            "kv --requests 50 --plot=",
            "kv --requests 50 --capacity-tokens 0",
            "kv --requests 50 --tenants 2000000000",
            "kv --requests 50 --system-prompts 2000000000",
            "kv --requests 50 --turns 9999999999999",
            "kv --requests 50 --rate 1e308",
            "kv --requests 50 --zipf 1e308",
            "kv --requests 50 --config HUGE",
            "kv --requests 50 --capacity-tokens lots",
            "kv --requests 50 --dram-tokens -5",
            "kv --requests 50 --ssd-tokens 0",
            "kv --requests 50 --dram-tokens 100",
            "kv --requests 50 --ssd-tokens 1000G",
            "kv --requests 50 --prefill-nodes 2 --token-budget 0",
            "kv --requests 50 --prefill-nodes 8 --token-budget 512",
            "kv --requests 50 --prefill-nodes -1 --token-budget 512",
            "info --topology HUGE",
            "embedding --rows 2000000000 --steps 1",
            "embedding --rows 1000 --steps 1 --batch 2000000000",
            "embedding --rows 1000 --steps 1 --batch 100000000",
            "embedding --rows 1000 --steps 1 --cache 2000000000",
            "embedding --rows 1000 --steps 1 --cache 4MiB,512MiB",
            "embedding --rows 1000 --steps 1 --nodes 2048",
            "embedding --rows 1000 --steps 2000000000",
            "embedding --rows 1000 --steps 1 --bag 100000",
            "embedding --rows 1000 --steps 1 --zipf 1e308",
            "embedding --rows 1000 --steps 1 --plot FILE",
            "compare --sizes 8 --json FILE/x",
            "demo --preset small --csv FILE",
            "demo --preset small --json=",
            "report --quick --out FILE",
            "collective --preset small --csv FILE/x",
            "collective --preset small -e 9999999999999",
            "collective --preset small --nodes 9",
            "collective --preset small -i 1 -e 1G",
            "collective --preset small --payload-cap 1T -b 64G -e 64G",
            "collective --preset cloudmatrix384 --payload-cap 256M -b 8G -e 8G",
            "coherence explore --ops 20",
            "coherence explore --ops -1",
            "coherence litmus --runs 2000000000",
            "coherence litmus --threads 0",
            "coherence trace --scenario 1W9999999999",
    })
    void isRefusedInOneLineBeforeAnyWork(String line) {
        String[] args = line.replace("FILE", file.toString()).replace("DIR", dir.toString())
                .replace("HUGE", huge.toString()).split(" ");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = SupernodeCli.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        String[] lines = err.toString().strip().split("\n");
        assertEquals(2, status, line + ": bad input exits 2");
        assertEquals("", out.toString(), line + ": work started before the refusal");
        assertTrue(lines[0].startsWith("supernode: "), line + ": " + err);
        assertEquals(1, lines.length, line + ": " + err);
        assertFalse(err.toString().contains("Exception") || err.toString().contains("io.supernode.")
                || err.toString().contains("java."), line + ": " + err);
    }

    /** An unknown value's error lists the known ones as they are typed: lower case with dashes. */
    @ParameterizedTest
    @ValueSource(strings = {"compare --sizes 8 --paths bogus|unified-load", "kv --requests 5 --fabric bogus|ub-vs-roce",
            "kv --requests 5 --paths bogus|pooled-unified", "collective --preset small --paths bogus|unified"})
    void unknownValuesListTheKnownOnesAsTyped(String lineAndName) {
        String[] parts = lineAndName.split("\\|");
        StringWriter err = new StringWriter();
        int status = SupernodeCli.execute(parts[0].split(" "), new PrintWriter(new StringWriter(), true),
                new PrintWriter(err, true));
        assertEquals(2, status, err.toString());
        assertTrue(err.toString().contains(parts[1]) && !err.toString().contains(parts[1].toUpperCase().replace('-', '_')),
                err.toString());
    }
}
