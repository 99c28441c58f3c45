package io.supernode.kvcache.trace;

import io.supernode.kvcache.KvConfigException;
import io.supernode.kvcache.index.BlockHash;
import io.supernode.kvcache.model.TinyAttentionModel;
import org.eclipse.collections.impl.list.mutable.primitive.IntArrayList;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Generates a serving workload for people without a trace: each request either opens a session
 * (with probability {@code 1 / meanTurns}) or continues a random open one. A session's prompt is its
 * system prompt, then every earlier turn's user message and reply, then the new message, so later
 * turns reuse earlier turns' blocks and sessions on one system prompt share its blocks.
 */
public final class SyntheticTraceGenerator {

    private SyntheticTraceGenerator() {
    }

    private static final class Session {
        final long salt;
        final IntArrayList history;
        int turnsLeft;

        Session(long salt, IntArrayList history, int turnsLeft) {
            this.salt = salt;
            this.history = history;
            this.turnsLeft = turnsLeft;
        }
    }

    /** The workload {@code options} describe; the same options give the same requests. */
    public static TraceLoad generate(GeneratorOptions options) {
        SplittableRandom random = new SplittableRandom(options.seed());
        int[][] systemPrompts = new int[options.systemPrompts()][];
        for (int p = 0; p < systemPrompts.length; p++) {
            systemPrompts[p] = randomTokens(random, options.systemPromptTokens());
        }
        double[] popularity = zipfCdf(options.systemPrompts(), options.zipfExponent());
        long[] salts = new long[options.tenants()];
        for (int t = 0; t < salts.length; t++) {
            salts[t] = options.tenants() == 1 ? BlockHash.NO_SALT : BlockHash.salt("tenant-" + t);
        }
        List<Session> open = new ArrayList<>();
        List<Request> requests = new ArrayList<>(options.requests());
        double clockSeconds = 0;
        for (int id = 0; id < options.requests(); id++) {
            clockSeconds += exponential(random, 1 / options.arrivalsPerSecond());
            int userTokens = Math.max(1, (int) Math.round(exponential(random, options.meanUserTokens())));
            Session session = null;
            if (!open.isEmpty() && random.nextDouble() >= 1 / options.meanTurns()) {
                session = open.get(random.nextInt(open.size()));
                if (session.history.size() + userTokens > options.maxPromptTokens()) {
                    open.remove(session);
                    session = null;
                }
            }
            if (session == null) {
                int prompt = pick(popularity, random.nextDouble());
                IntArrayList history = new IntArrayList(options.maxPromptTokens());
                history.addAll(systemPrompts[prompt]);
                session = new Session(salts[random.nextInt(salts.length)], history,
                        geometric(random, options.meanTurns()));
                open.add(session);
                userTokens = Math.min(userTokens, options.maxPromptTokens() - history.size());
            }
            session.history.addAll(randomTokens(random, userTokens));
            int outputTokens = Math.max(1, (int) Math.round(exponential(random, options.meanOutputTokens())));
            int[] prompt = session.history.toArray();
            requests.add(new Request(id, Math.round(clockSeconds * 1e9), prompt.length, outputTokens,
                    keys(prompt, options.tokensPerBlock(), session.salt), new BlockTokens.Explicit(prompt)));
            session.history.addAll(randomTokens(random, outputTokens));
            if (--session.turnsLeft == 0 || session.history.size() >= options.maxPromptTokens()) {
                open.remove(session);
            }
        }
        return new TraceLoad("generator(seed=" + options.seed() + ")", List.copyOf(requests), 0, List.of());
    }

    /**
     * The shared-prefix workload {@code options} describe; the same options give the same requests. Each prefix is
     * drawn once, as long as the longest prompt needs; a request of {@code L} tokens takes the first
     * {@code round(reuseShare x L)} of its prefix's tokens and adds the rest of its own.
     */
    public static TraceLoad sharedPrefix(SharedPrefixOptions options) {
        SplittableRandom random = new SplittableRandom(options.seed());
        int[] promptLengths = new int[options.requests()];
        int longestShared = 0;
        for (int i = 0; i < promptLengths.length; i++) {
            promptLengths[i] = options.promptTokens().draw(random);
            longestShared = Math.max(longestShared, shared(options, promptLengths[i]));
        }
        if ((double) options.prefixes() * longestShared > SharedPrefixOptions.MAX_PROMPT_TOKENS_IN_ALL) {
            throw new KvConfigException(String.format(Locale.ROOT, "%,d shared prefixes of up to %,d tokens "
                    + "exceed the %,d prompt tokens a run may hold", options.prefixes(), longestShared,
                    SharedPrefixOptions.MAX_PROMPT_TOKENS_IN_ALL));
        }
        int[][] prefixes = new int[options.prefixes()][];
        for (int p = 0; p < prefixes.length; p++) {
            prefixes[p] = randomTokens(random, longestShared);
        }
        double[] popularity = zipfCdf(options.prefixes(), options.zipfExponent());
        List<Request> requests = new ArrayList<>(options.requests());
        double clockSeconds = 0;
        for (int id = 0; id < options.requests(); id++) {
            if (options.arrivalsPerSecond() != SharedPrefixOptions.SATURATE) {
                clockSeconds += exponential(random, 1 / options.arrivalsPerSecond());
            }
            int length = promptLengths[id];
            int sharedTokens = shared(options, length);
            int[] prompt = new int[length];
            System.arraycopy(prefixes[pick(popularity, random.nextDouble())], 0, prompt, 0, sharedTokens);
            System.arraycopy(randomTokens(random, length - sharedTokens), 0, prompt, sharedTokens, length - sharedTokens);
            requests.add(new Request(id, Math.round(clockSeconds * 1e9), length, options.outputTokens().draw(random),
                    keys(prompt, options.tokensPerBlock(), BlockHash.NO_SALT), new BlockTokens.Explicit(prompt)));
        }
        return new TraceLoad("shared-prefix(seed=" + options.seed() + ", reuse=" + options.reuseShare() + ")",
                List.copyOf(requests), 0, List.of());
    }

    private static int shared(SharedPrefixOptions options, int promptTokens) {
        return (int) Math.round(options.reuseShare() * promptTokens);
    }

    /** Chained keys over {@code prompt} in blocks of {@code tokensPerBlock}. */
    public static long[] keys(int[] prompt, int tokensPerBlock, long salt) {
        int blocks = (prompt.length + tokensPerBlock - 1) / tokensPerBlock;
        long[] keys = new long[blocks];
        long parent = BlockHash.ROOT;
        for (int b = 0; b < blocks; b++) {
            parent = BlockHash.chain(parent, prompt, b * tokensPerBlock,
                    Math.min(prompt.length, (b + 1) * tokensPerBlock), salt);
            keys[b] = parent;
        }
        return keys;
    }

    private static int[] randomTokens(SplittableRandom random, int count) {
        int[] tokens = new int[count];
        for (int i = 0; i < count; i++) {
            tokens[i] = random.nextInt(TinyAttentionModel.VOCABULARY);
        }
        return tokens;
    }

    private static double[] zipfCdf(int n, double exponent) {
        double[] cdf = new double[n];
        double total = 0;
        for (int i = 0; i < n; i++) {
            total += 1 / Math.pow(i + 1, exponent);
            cdf[i] = total;
        }
        for (int i = 0; i < n; i++) {
            cdf[i] /= total;
        }
        return cdf;
    }

    private static int pick(double[] cdf, double u) {
        for (int i = 0; i < cdf.length; i++) {
            if (u < cdf[i]) {
                return i;
            }
        }
        return cdf.length - 1;
    }

    private static double exponential(SplittableRandom random, double mean) {
        return -mean * Math.log(1 - random.nextDouble());
    }

    private static int geometric(SplittableRandom random, double mean) {
        int turns = 1;
        while (random.nextDouble() >= 1 / mean) {
            turns++;
        }
        return turns;
    }
}
