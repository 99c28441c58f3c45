package io.supernode.coherence.check;

import java.util.List;

/** How an outcome is written: {@code P1:r0=1 P1:r1=0} then, where the test asks, {@code x=2}. */
public final class LitmusOutcome {

    private LitmusOutcome() {
    }

    /** The outcome string of {@code registers} (per node, in program order of loads) and {@code finals}. */
    public static String of(LitmusTest test, int[][] registers, int[] finals) {
        StringBuilder out = new StringBuilder();
        for (int p = 0; p < test.programs().size(); p++) {
            int r = 0;
            for (LitmusOp op : test.programs().get(p)) {
                if (!op.store()) {
                    out.append(out.isEmpty() ? "" : " ").append("P").append(p).append(':').append(op.register())
                            .append('=').append(registers[p][r++]);
                }
            }
        }
        List<Integer> lines = test.finalLines();
        for (int i = 0; i < lines.size(); i++) {
            out.append(out.isEmpty() ? "" : " ").append(LitmusOp.location(lines.get(i))).append('=').append(finals[i]);
        }
        return out.toString();
    }
}
