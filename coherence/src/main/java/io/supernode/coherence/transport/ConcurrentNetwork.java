package io.supernode.coherence.transport;

import io.supernode.coherence.protocol.CacheController;
import io.supernode.coherence.protocol.CacheEvent;
import io.supernode.coherence.protocol.CacheLine;
import io.supernode.coherence.protocol.CoreOp;
import io.supernode.coherence.protocol.DirLine;
import io.supernode.coherence.protocol.DirState;
import io.supernode.coherence.protocol.DirectoryController;
import io.supernode.coherence.protocol.Message;
import io.supernode.coherence.protocol.Protocol;
import io.supernode.coherence.protocol.ProtocolError;
import io.supernode.coherence.protocol.ProtocolVariant;
import io.supernode.coherence.protocol.VirtualNetwork;
import io.supernode.gas.agent.Backoff;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.IdleStrategy;
import org.jctools.queues.MpscUnboundedArrayQueue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The concurrent transport: every cache and the directory is an {@link Agent} on its own thread, with one
 * JCTools MPSC inbox per virtual network it receives on. The controllers are the same pure tables the
 * deterministic transport steps through; only delivery differs. Responses are always taken; forwarded
 * requests are taken in arrival order and a stalled one holds back those behind it (the forward network's
 * point-to-point order; the directory is their only sender); requests to the directory may be taken in any
 * order, so a stalled one waits aside while later ones proceed.
 *
 * <p>Each node runs a program of core requests, one outstanding at a time, after a seeded random pause
 * before each so that runs interleave differently. The run ends when every program has completed and no
 * message is in flight; the coherent value of every line is then read off the quiet system.
 */
public final class ConcurrentNetwork {

    /**
     * One core request of a node's program.
     *
     * @param line the line
     * @param op   LOAD, STORE (with its value) or REPLACEMENT
     */
    public record Op(int line, CoreOp op) {
    }

    /**
     * What a run produced.
     *
     * @param loaded   per node, the values its loads returned, in program order
     * @param finals   per line, its coherent value at the end (memory, or the owner's copy)
     * @param messages protocol messages delivered
     */
    public record Outcome(int[][] loaded, int[] finals, long messages) {
    }

    private static final int MAX_PAUSE_SPINS = 256;
    /** No message handled and no request issued for this long means nothing ever will be. */
    private static final long STUCK_NANOS = 200_000_000;

    private final int nodes;
    private final int lines;
    private final ProtocolVariant variant;
    private final CacheController cacheController;
    private final DirectoryController directoryController;
    private final List<List<MpscUnboundedArrayQueue<Message>>> cacheInboxes = new ArrayList<>();
    private final List<MpscUnboundedArrayQueue<Message>> directoryInboxes = new ArrayList<>();
    private final AtomicLong inFlight = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    /** Messages handled plus requests issued: the watchdog's sign of life. */
    private final AtomicLong progress = new AtomicLong();
    private final AtomicInteger programsRunning;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    /** Holds every thread until all have started, so that programs overlap instead of running in start order. */
    private final CountDownLatch startGate;
    private volatile boolean stopped;

    private ConcurrentNetwork(int nodes, int lines, Protocol protocol, ProtocolVariant variant) {
        this.nodes = nodes;
        this.lines = lines;
        this.variant = variant;
        this.cacheController = new CacheController(protocol.cacheTable(variant));
        this.directoryController = new DirectoryController(protocol.directoryTable(variant));
        for (int n = 0; n < nodes; n++) {
            List<MpscUnboundedArrayQueue<Message>> inbox = new ArrayList<>();
            for (int vn = 0; vn < VirtualNetwork.values().length; vn++) {
                inbox.add(new MpscUnboundedArrayQueue<>(64));
            }
            cacheInboxes.add(inbox);
        }
        for (int vn = 0; vn < VirtualNetwork.values().length; vn++) {
            directoryInboxes.add(new MpscUnboundedArrayQueue<>(64));
        }
        this.programsRunning = new AtomicInteger(nodes);
        this.startGate = new CountDownLatch(nodes + 1);
    }

    /**
     * Runs {@code programs} (one per node) on {@code nodes} caches and {@code lines} lines, all zero at the
     * start; {@code seed} drives the pauses between requests.
     *
     * @throws ProtocolError         when a controller meets an event its table does not define
     * @throws IllegalStateException on a deadlock (nothing handled or issued for 200 ms) or a livelock (no end
     *                               after {@code timeoutMillis}), naming what was still in flight
     */
    public static Outcome run(int nodes, int lines, Protocol protocol, ProtocolVariant variant, List<List<Op>> programs,
                              long seed, long timeoutMillis) {
        if (programs.size() != nodes) {
            throw new IllegalArgumentException(nodes + " nodes need " + nodes + " programs, got " + programs.size());
        }
        return new ConcurrentNetwork(nodes, lines, protocol, variant).run(programs, seed, timeoutMillis);
    }

    private Outcome run(List<List<Op>> programs, long seed, long timeoutMillis) {
        CacheAgent[] caches = new CacheAgent[nodes];
        for (int n = 0; n < nodes; n++) {
            caches[n] = new CacheAgent(n, programs.get(n), new SplittableRandom(seed * 31 + n));
        }
        DirectoryAgent directory = new DirectoryAgent();
        List<Thread> threads = new ArrayList<>();
        for (Agent agent : caches) {
            threads.add(Thread.ofPlatform().name(agent.roleName()).unstarted(() -> duty(agent)));
        }
        threads.add(Thread.ofPlatform().name(directory.roleName()).unstarted(() -> duty(directory)));
        threads.forEach(Thread::start);
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        long lastProgress = -1;
        long stuckSince = System.nanoTime();
        boolean stuck = false;
        try {
            while (threads.stream().anyMatch(Thread::isAlive) && System.nanoTime() < deadline) {
                threads.getFirst().join(Duration.ofMillis(1));
                long now = progress.get();
                if (now != lastProgress) {
                    lastProgress = now;
                    stuckSince = System.nanoTime();
                } else if (System.nanoTime() - stuckSince > STUCK_NANOS) {
                    stuck = true;
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        boolean ended = threads.stream().noneMatch(Thread::isAlive);
        stopped = true;
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Throwable t = failure.get();
        if (t instanceof ProtocolError e) {
            throw e;
        }
        if (t != null) {
            throw new IllegalStateException("a node thread failed: " + t, t);
        }
        if (!ended) {
            throw new IllegalStateException((stuck ? "deadlock: no progress for " + STUCK_NANOS / 1_000_000 + " ms"
                    : "livelock: no end after " + timeoutMillis + " ms") + " with " + programsRunning.get()
                    + " program(s) unfinished and " + inFlight.get() + " message(s) in flight");
        }
        int[][] loaded = new int[nodes][];
        for (int n = 0; n < nodes; n++) {
            loaded[n] = caches[n].loaded.stream().mapToInt(Integer::intValue).toArray();
        }
        int[] finals = new int[lines];
        for (int l = 0; l < lines; l++) {
            DirLine d = directory.entries[l];
            finals[l] = d.state() == DirState.M || d.state() == DirState.E ? caches[d.owner()].lines[l].value() : d.memory();
        }
        return new Outcome(loaded, finals, delivered.get());
    }

    /**
     * One agent's duty cycle on its own thread. Not Agrona's {@code AgentRunner}: every agent starts at one
     * gate, so no program gets a head start, and all stop together once every program has finished and
     * no message is in flight, which only the transport knows.
     */
    private void duty(Agent agent) {
        IdleStrategy idle = Backoff.idleStrategy();
        try {
            startGate.countDown();
            startGate.await();
            while (!stopped && (programsRunning.get() > 0 || inFlight.get() > 0)) {
                idle.idle(agent.doWork());
            }
        } catch (Throwable t) {
            failure.compareAndSet(null, t);
            stopped = true;
        }
    }

    private void send(List<Message> out) {
        for (Message m : out) {
            inFlight.incrementAndGet();
            int vn = m.type().network().ordinal();
            (m.target() == Message.DIRECTORY ? directoryInboxes.get(vn) : cacheInboxes.get(m.target()).get(vn)).offer(m);
        }
    }

    /** Marks one message handled, after everything it caused is in flight (so the count never reads zero early). */
    private void handled() {
        delivered.incrementAndGet();
        progress.incrementAndGet();
        inFlight.decrementAndGet();
    }

    /** One node: its cache controller, its inboxes and its program. */
    private final class CacheAgent implements Agent {
        private final int node;
        private final List<Op> program;
        private final SplittableRandom random;
        private final CacheLine[] lines;
        private final List<Integer> loaded = new ArrayList<>();
        private final List<Message> forwards = new ArrayList<>();
        private int pc;
        private Op pending;
        private int pause;
        private boolean finished;

        CacheAgent(int node, List<Op> program, SplittableRandom random) {
            this.node = node;
            this.program = program;
            this.random = random;
            this.lines = new CacheLine[ConcurrentNetwork.this.lines];
            Arrays.fill(lines, CacheLine.INVALID);
            this.pause = random.nextInt(MAX_PAUSE_SPINS);
        }

        @Override
        public String roleName() {
            return "cache-N" + node;
        }

        @Override
        public int doWork() {
            int work = 0;
            Message m;
            while ((m = cacheInboxes.get(node).get(VirtualNetwork.RESPONSE.ordinal()).poll()) != null) {
                deliver(m);
                work++;
            }
            while ((m = cacheInboxes.get(node).get(VirtualNetwork.FORWARD.ordinal()).poll()) != null) {
                forwards.add(m);
            }
            if (variant == ProtocolVariant.UNORDERED_FORWARD_NETWORK && forwards.size() > 1 && random.nextBoolean()) {
                Collections.reverse(forwards);
            }
            for (Iterator<Message> it = forwards.iterator(); it.hasNext(); ) {
                Message f = it.next();
                if (cacheController.stalls(lines[f.line()], CacheController.classify(lines[f.line()], f))) {
                    if (variant == ProtocolVariant.UNORDERED_FORWARD_NETWORK) {
                        continue;
                    }
                    break;
                }
                it.remove();
                deliver(f);
                work++;
            }
            return work + issue();
        }

        private int issue() {
            if (pending != null || finished) {
                return 0;
            }
            if (pc == program.size()) {
                finished = true;
                programsRunning.decrementAndGet();
                return 1;
            }
            if (pause > 0) {
                pause--;
                Thread.onSpinWait();
                return 1;
            }
            Op op = program.get(pc);
            CacheLine line = lines[op.line()];
            CacheEvent event = op.op().event();
            if (!cacheController.table().defines(line.state(), event)) {
                pc++;
                return 1;
            }
            if (cacheController.stalls(line, event)) {
                return 0;
            }
            CacheController.Result r = cacheController.handle(node, op.line(), line, event, null, op.op());
            progress.incrementAndGet();
            lines[op.line()] = r.line();
            send(r.out());
            if (r.completed()) {
                complete(op, r.loaded());
            } else if (event == CacheEvent.REPLACEMENT) {
                next();
            } else {
                pending = op;
            }
            return 1;
        }

        private void deliver(Message m) {
            CacheLine line = lines[m.line()];
            CacheEvent event = CacheController.classify(line, m);
            Op op = pending != null && pending.line() == m.line() ? pending : null;
            CacheController.Result r = cacheController.handle(node, m.line(), line, event, m, op == null ? null : op.op());
            lines[m.line()] = r.line();
            send(r.out());
            handled();
            if (r.completed()) {
                pending = null;
                complete(op, r.loaded());
            }
        }

        private void complete(Op op, int value) {
            if (op.op().event() == CacheEvent.LOAD) {
                loaded.add(value);
            }
            next();
        }

        private void next() {
            pc++;
            pause = random.nextInt(MAX_PAUSE_SPINS);
        }
    }

    /** The directory: every line's entry, its request inbox (with stalled requests set aside) and its response inbox. */
    private final class DirectoryAgent implements Agent {
        private final DirLine[] entries = new DirLine[lines];
        private final List<Message> waiting = new ArrayList<>();

        DirectoryAgent() {
            Arrays.fill(entries, DirLine.idle(0));
        }

        @Override
        public String roleName() {
            return "directory";
        }

        @Override
        public int doWork() {
            int work = 0;
            Message m;
            while ((m = directoryInboxes.get(VirtualNetwork.RESPONSE.ordinal()).poll()) != null) {
                deliver(m);
                work++;
            }
            while ((m = directoryInboxes.get(VirtualNetwork.REQUEST.ordinal()).poll()) != null) {
                waiting.add(m);
            }
            for (Iterator<Message> it = waiting.iterator(); it.hasNext(); ) {
                Message r = it.next();
                if (!directoryController.stalls(entries[r.line()], r)) {
                    it.remove();
                    deliver(r);
                    work++;
                }
            }
            return work;
        }

        private void deliver(Message m) {
            DirectoryController.Result r = directoryController.handle(m.line(), entries[m.line()], m);
            entries[m.line()] = r.line();
            send(r.out());
            handled();
        }
    }
}
