package io.supernode.coherence.check;

import java.util.List;

/**
 * A litmus test: one program per node over locations {@code x} and {@code y}, all zero at the start,
 * an outcome made of every register and, for tests about write order, the final value of some
 * locations, and the outcome sequential consistency forbids (what the name of the test is about).
 *
 * @param name          the test's usual name, e.g. {@code MP}
 * @param about         what it checks, in a line
 * @param programs      one program per node
 * @param finalLines    locations whose final value is part of the outcome
 * @param forbidden     the outcome SC forbids, in {@link LitmusOutcome} form
 */
public record LitmusTest(String name, String about, List<List<LitmusOp>> programs, List<Integer> finalLines,
                         String forbidden) {

    /** Nodes the test needs. */
    public int nodes() {
        return programs.size();
    }

    /** Locations the test touches. */
    public int lines() {
        int max = 0;
        for (List<LitmusOp> program : programs) {
            for (LitmusOp op : program) {
                max = Math.max(max, op.line() + 1);
            }
        }
        return max;
    }

    /** The programs as one line each, e.g. {@code P0: W x=1; W y=1}. */
    public String listing() {
        StringBuilder out = new StringBuilder();
        for (int p = 0; p < programs.size(); p++) {
            out.append("P").append(p).append(": ")
                    .append(String.join("; ", programs.get(p).stream().map(LitmusOp::toString).toList())).append('\n');
        }
        return out.toString();
    }
}
