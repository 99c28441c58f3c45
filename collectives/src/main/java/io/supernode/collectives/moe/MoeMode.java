package io.supernode.collectives.moe;

import io.supernode.gas.fault.ConfigFault;

import java.util.Locale;

/** DeepEP's two kinds of dispatch and combine kernels. */
public enum MoeMode {
    /**
     * Throughput: a token is sent once to every rank that holds any of its experts, batched in chunks per destination;
     * between stacked servers it goes once to every server (to the GPU of the same local index, by RDMA) and that GPU
     * forwards it over the scale-up link to the ranks that need it. Combine returns, per token and rank, the weighted
     * sum of that rank's experts, reduced on the way back.
     */
    NORMAL("normal"),
    /**
     * Latency: every token is written on its own to the rank of each of its experts (a message per token and expert,
     * no hierarchy), and combine returns every expert's output on its own, weighted and summed where the token came
     * from.
     */
    LOW_LATENCY("low-latency");

    private final String label;

    MoeMode(String label) {
        this.label = label;
    }

    /** The name the command line takes and prints. */
    public String label() {
        return label;
    }

    /**
     * The mode with this name ({@code normal}, {@code low-latency}), any case.
     *
     * @throws ConfigFault naming the modes
     */
    public static MoeMode byName(String name) {
        String wanted = name == null ? "" : name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (MoeMode m : values()) {
            if (m.label.equals(wanted) || wanted.equals("ll") && m == LOW_LATENCY) {
                return m;
            }
        }
        throw new ConfigFault("unknown mode '" + name + "' (known: normal, low-latency)");
    }
}
