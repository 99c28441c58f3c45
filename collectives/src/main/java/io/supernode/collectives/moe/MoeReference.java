package io.supernode.collectives.moe;

import io.supernode.collectives.data.DataType;
import io.supernode.collectives.data.Inputs;

import java.lang.foreign.MemorySegment;

/**
 * A token's combined output computed on one node, without moving anything: the token quantized and read back as the
 * dispatch format carries it, every expert of it applied, the results weighted and summed in the order
 * {@link MoeExecutor} states for the mode. What the executor's ranks end with must equal it bit for bit.
 */
final class MoeReference {

    private final MoeSpec spec;
    private final RoutingTable table;
    private final boolean hierarchical;
    private final ExpertFunction experts;
    private final TokenMessage message;

    MoeReference(MoeSpec spec, RoutingTable table, boolean hierarchical) {
        this.spec = spec;
        this.table = table;
        this.hierarchical = hierarchical;
        this.experts = new ExpertFunction(spec.experts(), spec.seed());
        this.message = new TokenMessage(spec.format(), spec.hidden(), spec.topK(), false);
    }

    /** Token {@code t} of rank {@code r}, combined, as bfloat16 values in {@code out}. */
    void expected(int r, int t, float[] out) {
        int hidden = spec.hidden();
        float[] x = new float[hidden];
        for (int c = 0; c < hidden; c++) {
            x[c] = Inputs.value(DataType.BFLOAT16, spec.seed(), r, (long) t * hidden + c);
        }
        MemorySegment carried = MemorySegment.ofArray(new byte[(int) message.bytes()]);
        spec.format().encode(x, carried, message.payloadOffset());
        spec.format().decode(carried, message.payloadOffset(), x);
        float[] y = new float[hidden];
        float[] sum = new float[hidden];
        if (spec.mode() == MoeMode.LOW_LATENCY) {
            for (int k = 0; k < spec.topK(); k++) {
                experts.apply(table.expert(r, t, k), x, y);
                float w = table.weight(r, t, k);
                for (int c = 0; c < hidden; c++) {
                    sum[c] = bf16(sum[c] + w * bf16(y[c]));
                }
            }
            round(sum, out);
            return;
        }
        float[] partial = new float[hidden];
        float[] group = new float[hidden];
        int lastGroup = -1;
        for (int d : table.ranksOf(r, t)) {
            java.util.Arrays.fill(partial, 0f);
            for (int k = 0; k < spec.topK(); k++) {
                int e = table.expert(r, t, k);
                if (table.rankOf(e) == d) {
                    experts.apply(e, x, y);
                    float w = table.weight(r, t, k);
                    for (int c = 0; c < hidden; c++) {
                        partial[c] = bf16(partial[c] + w * y[c]);
                    }
                }
            }
            if (!hierarchical) {
                for (int c = 0; c < hidden; c++) {
                    sum[c] = bf16(sum[c] + partial[c]);
                }
                continue;
            }
            int g = table.groupOf(d);
            if (g != lastGroup && lastGroup >= 0) {
                addRounded(group, sum);
            }
            if (g != lastGroup) {
                java.util.Arrays.fill(group, 0f);
                lastGroup = g;
            }
            for (int c = 0; c < hidden; c++) {
                group[c] = bf16(group[c] + partial[c]);
            }
        }
        if (hierarchical && lastGroup >= 0) {
            addRounded(group, sum);
        }
        round(sum, out);
    }

    private static void addRounded(float[] group, float[] sum) {
        for (int c = 0; c < group.length; c++) {
            sum[c] = bf16(sum[c] + group[c]);
        }
    }

    private static void round(float[] sum, float[] out) {
        for (int c = 0; c < sum.length; c++) {
            out[c] = bf16(sum[c]);
        }
    }

    private static float bf16(float value) {
        return DataType.BFLOAT16.round(value);
    }
}
