package io.supernode.coherence.check;

import java.util.List;
import java.util.Locale;

import static io.supernode.coherence.check.LitmusOp.read;
import static io.supernode.coherence.check.LitmusOp.write;

/** The classic litmus tests, as in the herd/diy catalogue; x is line 0, y is line 1. */
public final class LitmusTests {

    private static final int X = 0;
    private static final int Y = 1;

    /** Message passing: data then flag; a reader that sees the flag must see the data. */
    public static final LitmusTest MP = new LitmusTest("MP", "a reader that sees the flag sees the data",
            List.of(List.of(write(X, 1), write(Y, 1)), List.of(read(Y, "r0"), read(X, "r1"))), List.of(),
            "P1:r0=1 P1:r1=0");
    /** Store buffering: two writers that then read each other's location cannot both miss the other's store. */
    public static final LitmusTest SB = new LitmusTest("SB", "two stores then loads cannot both read the old value",
            List.of(List.of(write(X, 1), read(Y, "r0")), List.of(write(Y, 1), read(X, "r0"))), List.of(),
            "P0:r0=0 P1:r0=0");
    /** Load buffering: loads cannot see stores that come after them in both programs. */
    public static final LitmusTest LB = new LitmusTest("LB", "loads cannot read stores issued after them on both sides",
            List.of(List.of(read(X, "r0"), write(Y, 1)), List.of(read(Y, "r0"), write(X, 1))), List.of(),
            "P0:r0=1 P1:r0=1");
    /** Independent reads of independent writes: two readers agree on the order of two writes. */
    public static final LitmusTest IRIW = new LitmusTest("IRIW", "two readers agree on the order of two independent writes",
            List.of(List.of(write(X, 1)), List.of(write(Y, 1)), List.of(read(X, "r0"), read(Y, "r1")),
                    List.of(read(Y, "r0"), read(X, "r1"))), List.of(),
            "P2:r0=1 P2:r1=0 P3:r0=1 P3:r1=0");
    /** Write-to-read causality: a write seen by a node that then writes is seen by whoever sees that write. */
    public static final LitmusTest WRC = new LitmusTest("WRC", "causality: what a writer had seen is seen by its readers",
            List.of(List.of(write(X, 1)), List.of(read(X, "r0"), write(Y, 1)), List.of(read(Y, "r0"), read(X, "r1"))),
            List.of(), "P1:r0=1 P2:r0=1 P2:r1=0");
    /** Two writers in opposite orders cannot leave both first writes last. */
    public static final LitmusTest TWO_PLUS_TWO_W = new LitmusTest("2+2W", "opposite write orders cannot both lose",
            List.of(List.of(write(X, 1), write(Y, 2)), List.of(write(Y, 1), write(X, 2))), List.of(X, Y), "x=1 y=1");
    /** Read-read coherence: two loads of one location never go back in time. */
    public static final LitmusTest CO_RR = new LitmusTest("CoRR", "two reads of one location never go backwards",
            List.of(List.of(write(X, 1)), List.of(read(X, "r0"), read(X, "r1"))), List.of(), "P1:r0=1 P1:r1=0");
    /** Write-write coherence: two stores of one node to one location land in program order. */
    public static final LitmusTest CO_WW = new LitmusTest("CoWW", "two writes of one node land in program order",
            List.of(List.of(write(X, 1), write(X, 2))), List.of(X), "x=1");
    /** Read-write coherence: a load never reads a store that is later in coherence order than its own later store. */
    public static final LitmusTest CO_RW = new LitmusTest("CoRW", "a read does not see a write that overwrote its own later write",
            List.of(List.of(read(X, "r0"), write(X, 1)), List.of(write(X, 2))), List.of(X), "P0:r0=2 x=2");
    /** Write-read coherence: a load after one's own store sees it or something later, never something before it. */
    public static final LitmusTest CO_WR = new LitmusTest("CoWR", "a read after one's own write never sees an earlier write",
            List.of(List.of(write(X, 1), read(X, "r0")), List.of(write(X, 2))), List.of(X), "P0:r0=2 x=1");

    private static final List<LitmusTest> ALL = List.of(MP, SB, LB, IRIW, WRC, TWO_PLUS_TWO_W, CO_RR, CO_WW, CO_RW, CO_WR);

    private LitmusTests() {
    }

    /** Every test. */
    public static List<LitmusTest> all() {
        return ALL;
    }

    /**
     * The test with this name, case-insensitive.
     *
     * @throws IllegalArgumentException naming the known tests when there is none
     */
    public static LitmusTest byName(String name) {
        String wanted = name == null ? "" : name.toUpperCase(Locale.ROOT);
        return ALL.stream().filter(t -> t.name().toUpperCase(Locale.ROOT).equals(wanted)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown litmus test '" + name + "' (known: "
                        + String.join(", ", ALL.stream().map(LitmusTest::name).toList()) + ")"));
    }
}
