package io.supernode.collectives.moe;

import io.supernode.gas.fault.ConfigFault;

import java.util.Locale;

/**
 * How tokens choose their top-k experts: the gate's output as an experiment needs it, drawn from a seed (see
 * {@link RoutingTable}). Experts are drawn without replacement with probability proportional to their popularity.
 */
public sealed interface Routing permits Routing.Uniform, Routing.Zipf, Routing.GroupLimited {

    /** The largest Zipf exponent taken: beyond it nearly every token picks the same experts. */
    double MAX_ZIPF_EXPONENT = 4;

    /** Every expert equally popular. */
    record Uniform() implements Routing {
        @Override
        public String label() {
            return "uniform";
        }
    }

    /**
     * Skewed: the i-th most popular expert (a seeded permutation decides which) has popularity {@code 1 / i^exponent}.
     *
     * @param exponent 0 (uniform) to {@link #MAX_ZIPF_EXPONENT}
     */
    record Zipf(double exponent) implements Routing {
        /** Checks the exponent. */
        public Zipf {
            if (!(exponent >= 0 && exponent <= MAX_ZIPF_EXPONENT)) {
                throw new ConfigFault("a Zipf exponent must be 0.." + MAX_ZIPF_EXPONENT + ", got " + exponent);
            }
        }

        @Override
        public String label() {
            return "zipf:" + exponent;
        }
    }

    /**
     * As DeepSeek-V3 routes: each token first picks at most {@code maxGroups} groups (servers or boards, the ranks of
     * one first-tier domain), each with probability proportional to its experts' popularity, then its experts among
     * theirs only, so that its dispatch crosses to at most that many groups. Experts are equally popular.
     *
     * @param maxGroups at least 1
     */
    record GroupLimited(int maxGroups) implements Routing {
        /** Checks the limit. */
        public GroupLimited {
            if (maxGroups < 1) {
                throw new ConfigFault("a group-limited routing needs at least 1 group, got " + maxGroups);
            }
        }

        @Override
        public String label() {
            return "groups:" + maxGroups;
        }
    }

    /** The name the command line takes: {@code uniform}, {@code zipf:S} or {@code groups:M}. */
    String label();

    /**
     * The routing a label names.
     *
     * @throws ConfigFault naming the forms taken
     */
    static Routing byName(String text) {
        String wanted = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        try {
            if (wanted.equals("uniform")) {
                return new Uniform();
            }
            if (wanted.startsWith("zipf:")) {
                return new Zipf(Double.parseDouble(wanted.substring(5)));
            }
            if (wanted.startsWith("groups:")) {
                return new GroupLimited(Integer.parseInt(wanted.substring(7)));
            }
        } catch (NumberFormatException e) {
            throw new ConfigFault("routing '" + text + "' has no number after the colon");
        }
        throw new ConfigFault("unknown routing '" + text + "' (known: uniform, zipf:S, groups:M)");
    }
}
