package io.supernode.kvcache.serve;

import io.supernode.kvcache.model.ServingProfile;
import io.supernode.kvcache.serve.ReplayResult.BlockReuse;
import io.supernode.kvcache.serve.ReplayResult.FabricTraffic;
import io.supernode.kvcache.serve.ReplayResult.ModeledTimes;
import io.supernode.kvcache.serve.ReplayResult.PoolChurn;
import io.supernode.kvcache.tier.TierUse;
import io.supernode.kvcache.trace.Request;
import io.supernode.kvcache.trace.TraceLoad;

import org.eclipse.collections.impl.list.mutable.primitive.LongArrayList;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import java.util.stream.IntStream;

/**
 * Replays a trace through a {@link KvPool} with a serving model in virtual time. Without a token budget every node is
 * a prefill instance with a first-come queue: a request starts when it has arrived and its node is free, takes the
 * modeled time to read or fetch the blocks it reuses plus to prefill the rest (attending over the reused prefix), and
 * its first token comes out at the end; each later token adds a lone sequence's decode step to the end-to-end
 * latency without holding the node. With a token budget every node is a {@link NodeEngine} under continuous
 * batching, and prefill and decode share its steps; disaggregated, the prefill nodes' engines hand each prompt at its
 * first token to a decode node's engine, once its KV has moved there.
 *
 * <p>Left out, on purpose: fetches do not overlap queueing or compute (serial and so pessimistic for both pooled
 * paths alike), concurrent fetches do not contend for links, and a request's blocks are in the index from the moment
 * it is routed, not from the end of its prefill.
 */
public final class Replay {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    /**
     * The address space the machines of replays run side by side may reserve together (A: half the 128 TiB a Linux
     * process has, the rest left to the heap and everything else); a machine is at least 16 GiB a node.
     */
    private static final long SIDE_BY_SIDE_RESERVATION_BYTES = 64L << 40;

    private Replay() {
    }

    /** Replays {@code trace} with {@code options} on a new pool. */
    public static ReplayResult run(TraceLoad trace, ReplayOptions options) {
        return run(trace, options, done -> { });
    }

    /** Replays {@code trace} with {@code options}, telling {@code progress} the number of requests served so far. */
    public static ReplayResult run(TraceLoad trace, ReplayOptions options, LongConsumer progress) {
        try (KvPool pool = new KvPool(options)) {
            return run(trace, pool, progress);
        }
    }

    /** Replays {@code trace} on {@code pool}, which keeps whatever it cached. */
    public static ReplayResult run(TraceLoad trace, KvPool pool, LongConsumer progress) {
        ReplayOptions options = pool.options();
        ServingProfile profile = options.profile();
        LongSupplier host = hostClock();
        long hostStart = host.getAsLong();
        long scaleUpBefore = pool.scaleUpBytes();
        long scaleOutBefore = pool.scaleOutBytes();
        long hostLinkBefore = pool.hostLinkBytes();
        List<TierUse> tiersBefore = pool.tierUse();
        List<Request> requests = trace.requests();
        int nodes = options.nodes();
        int routable = options.routableNodes();
        long[] freeAtNanos = new long[routable];
        long[] ttft = new long[requests.size()];
        long[] digests = new long[requests.size()];
        long blocks = 0;
        long localHits = 0;
        long remoteHits = 0;
        long lowerTierHits = 0;
        long rejected = 0;
        long outputTokens = 0;
        long inputTokens = 0;
        long hitTokens = 0;
        long messages = 0;
        long payloadBytes = 0;
        long replicas = 0;
        long notCached = 0;
        long diverted = 0;
        long firstArrival = requests.isEmpty() ? 0 : requests.getFirst().arrivalNanos();
        long lastEnd = firstArrival;
        int nextRoundRobin = 0;
        long[] endToEnd = new long[requests.size()];
        LongArrayList tbt = new LongArrayList();
        long[] transferNanos = new long[requests.size()];
        int[] decodeNodeOf = new int[requests.size()];
        // Prompts sent to each decode node and not yet handed over: its engine does not see them until their first token.
        int[] awaited = new int[nodes];
        NodeEngine[] engines = options.tokenBudget() > 0 ? new NodeEngine[nodes] : null;
        if (engines != null) {
            // A prefill node under disaggregation hands each prompt to its decode node at its first token: the KV
            // lands there after the transfer, the first token with it, and the decode node generates the rest.
            // A request with no decode node (0: node 0 always prefills) is done at its first token.
            NodeEngine.Events handOff = new NodeEngine.Events() {
                @Override
                public void firstToken(int index, long nanos) {
                    Request request = requests.get(index);
                    int decodeNode = decodeNodeOf[index];
                    long ready = nanos + transferNanos[index];
                    ttft[index] = ready - request.arrivalNanos();
                    endToEnd[index] = ttft[index];
                    if (decodeNode > 0) {
                        awaited[decodeNode]--;
                        engines[decodeNode].submitDecode(index, request.arrivalNanos(), ready, request.inputTokens(),
                                request.outputTokens());
                    }
                }
            };
            long[] prefillEnds = new long[requests.size()];
            for (int n = 0; n < nodes; n++) {
                // Running sequences are admitted against what HBM holds beside the weights, not the prefix
                // cache's capacity (which the replay keeps as its own flag).
                boolean prefillOnly = options.disaggregated() && n < routable;
                engines[n] = new NodeEngine(profile, profile.hbmKvTokens(), options.tokenBudget(), ttft,
                        prefillOnly ? prefillEnds : endToEnd, tbt, prefillOnly ? handOff : null);
            }
        }
        for (int i = 0; i < requests.size(); i++) {
            Request request = requests.get(i);
            if (engines != null) {
                // Prefill nodes first: the prompts they finish are handed to decode nodes before those run on.
                for (NodeEngine engine : engines) {
                    engine.runUntil(request.arrivalNanos());
                }
            }
            // The routers weigh each node's queue as prompts prefilled one after another (freeAtNanos), batching or not.
            int node = switch (options.router()) {
                case ROUND_ROBIN -> nextRoundRobin++ % routable;
                case LEAST_LOADED -> soonest(freeAtNanos, request.arrivalNanos(), null, null);
                case AFFINITY -> affinity(freeAtNanos, request, pool, options.balanceThresholdNanos());
                case CACHE_AWARE -> soonest(freeAtNanos, request.arrivalNanos(), pool, request);
            };
            boolean divert = node < 0;
            node = divert ? -node - 1 : node;
            diverted += divert ? 1 : 0;
            // A request with at most one output token is done at its first: its KV has nowhere to go.
            int decodeNode = options.disaggregated() && request.outputTokens() > 1
                    ? leastBusyDecodeNode(engines, awaited, routable) : -1;
            ServeOutcome outcome = pool.serve(request, node, divert, decodeNode);
            if (decodeNode >= 0) {
                decodeNodeOf[i] = decodeNode;
                awaited[decodeNode]++;
                transferNanos[i] = outcome.kvTransferNanos();
            }
            long start = Math.max(request.arrivalNanos(), freeAtNanos[node]);
            long end = start + outcome.fetchNanos()
                    + profile.prefillNanos(outcome.computeTokens(), request.inputTokens() - outcome.computeTokens());
            freeAtNanos[node] = end;
            if (engines != null) {
                engines[node].submit(i, request.arrivalNanos(), request.arrivalNanos() + outcome.fetchNanos(),
                        (int) outcome.computeTokens(), (int) (request.inputTokens() - outcome.computeTokens()),
                        decodeNode >= 0 ? 1 : request.outputTokens());
            } else {
                lastEnd = Math.max(lastEnd, end);
                ttft[i] = end - request.arrivalNanos();
                // Each output token is a decode step of its own over the prompt and half the output on average.
                long step = profile.decodeTokenNanos(request.inputTokens() + request.outputTokens() / 2);
                tbt.add(step);
                // The first token comes with the prefill; each later one takes a decode step.
                endToEnd[i] = ttft[i] + Math.max(0, request.outputTokens() - 1) * step;
            }
            digests[i] = outcome.digest();
            blocks += outcome.blocks();
            localHits += outcome.localHits();
            remoteHits += outcome.remoteHits();
            lowerTierHits += outcome.lowerTierHits();
            outputTokens += request.outputTokens();
            rejected += outcome.costRejected();
            inputTokens += request.inputTokens();
            hitTokens += outcome.hitTokens();
            messages += outcome.messages();
            payloadBytes += outcome.payloadBytes();
            replicas += outcome.replicas();
            notCached += outcome.notCached();
            progress.accept(i + 1L);
        }
        if (engines != null) {
            for (NodeEngine engine : engines) {
                engine.drain();
                lastEnd = Math.max(lastEnd, engine.clockNanos());
            }
        }
        long[] sortedTtft = ttft.clone();
        Arrays.sort(sortedTtft);
        long[] sortedTbt = tbt.toArray();
        Arrays.sort(sortedTbt);
        long[] sortedTransfers = IntStream.range(0, requests.size()).filter(i -> decodeNodeOf[i] > 0)
                .mapToLong(i -> transferNanos[i]).sorted().toArray();
        double endToEndSum = 0;
        for (long e : endToEnd) {
            endToEndSum += e;
        }
        return new ReplayResult(options, trace.source(), requests.size(),
                new BlockReuse(blocks, localHits, remoteHits, lowerTierHits, rejected, inputTokens, hitTokens),
                new FabricTraffic(pool.scaleUpBytes() - scaleUpBefore, pool.scaleOutBytes() - scaleOutBefore,
                        pool.hostLinkBytes() - hostLinkBefore, messages, payloadBytes),
                new PoolChurn(replicas, notCached, pool.index().evictions(), diverted),
                new ModeledTimes(sortedTtft, sortedTbt, sortedTransfers,
                        requests.isEmpty() ? 0 : Math.round(endToEndSum / requests.size()), lastEnd - firstArrival),
                since(pool.tierUse(), tiersBefore), outputTokens, host.getAsLong() - hostStart, digests);
    }

    /** What each tier did between {@code before} and {@code after}, two readings of one pool. */
    private static List<TierUse> since(List<TierUse> after, List<TierUse> before) {
        List<TierUse> use = new ArrayList<>(after.size());
        for (int i = 0; i < after.size(); i++) {
            use.add(after.get(i).minus(before.get(i)));
        }
        return use;
    }

    /**
     * The decode node with the fewest sequences queued, running or on their way ({@code awaited}: still prefilling
     * elsewhere); ties go to the lowest id.
     */
    static int leastBusyDecodeNode(NodeEngine[] engines, int[] awaited, int firstDecodeNode) {
        int best = firstDecodeNode;
        for (int n = firstDecodeNode + 1; n < engines.length; n++) {
            if (engines[n].sequences() + awaited[n] < engines[best].sequences() + awaited[best]) {
                best = n;
            }
        }
        return best;
    }

    /**
     * The clock a replay's host time is read on: this thread's CPU time, user and system (what a run costs the host even
     * when runs share its cores), or the wall clock where the JVM cannot tell a thread's CPU time (then -1).
     */
    private static LongSupplier hostClock() {
        return THREADS.isCurrentThreadCpuTimeSupported() && THREADS.getCurrentThreadCpuTime() >= 0
                ? THREADS::getCurrentThreadCpuTime : System::nanoTime;
    }

    /**
     * Replays {@code trace} once per path in {@code paths}, everything else as in {@code options}. The runs are
     * independent (a machine each), so they run side by side, up to one thread per path and as many as the host has
     * cores, fewer when their machines' reservations together would crowd the address space; the results come back
     * in the order of {@code paths}, and {@code progress} hears the requests served over all runs.
     *
     * @throws IllegalStateException naming the first request whose decode output differs between
     *                               paths: reuse must never change what the model computes
     */
    public static List<ReplayResult> sideBySide(TraceLoad trace, ReplayOptions options, List<ServingSetup> paths,
                                                LongConsumer progress) {
        List<ReplayOptions> each = paths.stream().map(path -> options.toBuilder().path(path).build()).toList();
        long byAddressSpace = SIDE_BY_SIDE_RESERVATION_BYTES / KvPool.reservedBytes(options);
        int threads = (int) Math.max(1, Math.min(Math.min(paths.size(), Runtime.getRuntime().availableProcessors()),
                byAddressSpace));
        AtomicLongArray served = new AtomicLongArray(paths.size());
        List<Future<ReplayResult>> runs = new ArrayList<>();
        try (ExecutorService executor = Executors.newFixedThreadPool(threads)) {
            for (int i = 0; i < each.size(); i++) {
                int run = i;
                runs.add(executor.submit(() -> run(trace, each.get(run), done -> {
                    served.set(run, done);
                    synchronized (served) {
                        long total = 0;
                        for (int p = 0; p < served.length(); p++) {
                            total += served.get(p);
                        }
                        progress.accept(total);
                    }
                })));
            }
        }
        List<ReplayResult> results = outcomes(runs);
        if (options.payload()) {
            for (ReplayResult result : results.subList(1, results.size())) {
                int differs = result.firstDifference(results.getFirst());
                if (differs >= 0) {
                    throw new IllegalStateException("decode output of request " + differs + " differs between "
                            + results.getFirst().options().path().label() + " and " + result.options().path().label());
                }
            }
        }
        return results;
    }

    /**
     * The finished runs' results, or the first failure in the paths' order as it was thrown, any later ones attached
     * to it as suppressed.
     */
    private static List<ReplayResult> outcomes(List<Future<ReplayResult>> runs) {
        List<ReplayResult> results = new ArrayList<>();
        Throwable first = null;
        for (Future<ReplayResult> run : runs) {
            try {
                results.add(run.get());
            } catch (ExecutionException e) {
                if (first == null) {
                    first = e.getCause();
                } else if (e.getCause() != first) {
                    first.addSuppressed(e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for a replay", e);
            }
        }
        if (first instanceof RuntimeException r) {
            throw r;
        }
        if (first instanceof Error error) {
            throw error;
        }
        if (first != null) {
            throw new IllegalStateException("a replay failed", first);
        }
        return results;
    }

    /**
     * The affinity router's node: the one holding the longest prefix of {@code request}, unless its queue is longer
     * than the least-loaded node's by more than {@code thresholdNanos}; then that node, returned as {@code -node - 1}
     * to say the request was diverted. With no prefix held anywhere, the least-loaded node.
     */
    private static int affinity(long[] freeAtNanos, Request request, KvPool pool, long thresholdNanos) {
        long arrival = request.arrivalNanos();
        int least = soonest(freeAtNanos, arrival, null, null);
        // The node holding the longest prefix; among equal holders (a diverted request's copy makes a second), the
        // least loaded.
        int holder = -1;
        int longest = 0;
        for (int node = 0; node < freeAtNanos.length; node++) {
            int blocks = pool.index().longestPrefixOn(node, request.blockKeys());
            if (blocks > longest || blocks == longest && holder >= 0 && freeAtNanos[node] < freeAtNanos[holder]) {
                holder = node;
                longest = blocks;
            }
        }
        if (holder < 0) {
            return least;
        }
        long holderWait = Math.max(0, freeAtNanos[holder] - arrival);
        long leastWait = Math.max(0, freeAtNanos[least] - arrival);
        return holderWait - leastWait > thresholdNanos ? -least - 1 : holder;
    }

    /**
     * The node where a request starts soonest (plus, given a pool, its modeled service time there);
     * ties go to the node that is free earliest, then the lowest id.
     */
    private static int soonest(long[] freeAtNanos, long arrivalNanos, KvPool pool, Request request) {
        int best = 0;
        long bestFinish = Long.MAX_VALUE;
        for (int node = 0; node < freeAtNanos.length; node++) {
            long finish = Math.max(arrivalNanos, freeAtNanos[node])
                    + (pool == null ? 0 : pool.estimateServiceNanos(request, node));
            if (finish < bestFinish || (finish == bestFinish && freeAtNanos[node] < freeAtNanos[best])) {
                best = node;
                bestFinish = finish;
            }
        }
        return best;
    }
}
