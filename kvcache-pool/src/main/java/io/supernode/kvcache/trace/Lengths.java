package io.supernode.kvcache.trace;

import io.supernode.kvcache.KvConfigException;

import java.util.Locale;
import java.util.SplittableRandom;

/** How a generated length (of a prompt, of an output) is drawn: at least 1 token, at most {@link #MAX_TOKENS}. */
public sealed interface Lengths permits Lengths.Fixed, Lengths.Exponential, Lengths.Uniform {

    /** The longest length drawn (as the chat generator's longest prompt). */
    int MAX_TOKENS = GeneratorOptions.MAX_PROMPT_TOKENS;

    /** One length. */
    int draw(SplittableRandom random);

    /** The mean length. */
    double meanTokens();

    /** Always {@code tokens}. */
    record Fixed(int tokens) implements Lengths {
        /** Checks the length. */
        public Fixed {
            check(tokens, "length");
        }

        @Override
        public int draw(SplittableRandom random) {
            return tokens;
        }

        @Override
        public double meanTokens() {
            return tokens;
        }
    }

    /** Exponential with mean {@code meanTokens}, rounded, at least 1 and at most {@link #MAX_TOKENS}. */
    record Exponential(double meanTokens) implements Lengths {
        /** Checks the mean. */
        public Exponential {
            if (!(meanTokens >= 1) || meanTokens > MAX_TOKENS) {
                throw new KvConfigException("an exponential length needs a mean of 1.." + MAX_TOKENS + " tokens, got "
                        + meanTokens);
            }
        }

        @Override
        public int draw(SplittableRandom random) {
            return Math.clamp(Math.round(-meanTokens * Math.log(1 - random.nextDouble())), 1, MAX_TOKENS);
        }
    }

    /** Uniform over {@code minTokens..maxTokens}. */
    record Uniform(int minTokens, int maxTokens) implements Lengths {
        /** Checks the range. */
        public Uniform {
            check(minTokens, "shortest length");
            check(maxTokens, "longest length");
            if (minTokens > maxTokens) {
                throw new KvConfigException("a uniform length needs min <= max, got " + minTokens + "-" + maxTokens);
            }
        }

        @Override
        public int draw(SplittableRandom random) {
            return minTokens + random.nextInt(maxTokens - minTokens + 1);
        }

        @Override
        public double meanTokens() {
            return (minTokens + maxTokens) / 2.0;
        }
    }

    /**
     * {@code 8192} (fixed), {@code exp:8192} (exponential with that mean) or {@code 1024-16384} (uniform).
     *
     * @throws KvConfigException naming the forms when {@code text} is none of them
     */
    static Lengths parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.startsWith("exp:")) {
                return new Exponential(Double.parseDouble(t.substring(4)));
            }
            int dash = t.indexOf('-');
            if (dash > 0) {
                return new Uniform(Integer.parseInt(t.substring(0, dash)), Integer.parseInt(t.substring(dash + 1)));
            }
            return new Fixed(Integer.parseInt(t));
        } catch (NumberFormatException e) {
            throw new KvConfigException("length '" + text + "' is none of N (fixed), exp:MEAN (exponential) or MIN-MAX "
                    + "(uniform), in tokens");
        }
    }

    private static void check(int tokens, String what) {
        if (tokens < 1 || tokens > MAX_TOKENS) {
            throw new KvConfigException("a " + what + " must be 1.." + MAX_TOKENS + " tokens, got " + tokens);
        }
    }
}
