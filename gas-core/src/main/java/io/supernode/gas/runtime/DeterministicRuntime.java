package io.supernode.gas.runtime;

import io.supernode.gas.Supernode;
import io.supernode.gas.address.GlobalAddressSpace;
import io.supernode.gas.fault.ConfigFault;
import io.supernode.gas.fault.SupernodeFault;
import io.supernode.gas.messaging.CopyStack;
import io.supernode.gas.messaging.MessagePlane;
import io.supernode.gas.path.SignalSlot;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Semaphore;

/**
 * A single-threaded, seeded discrete-event runtime: every node program runs on its own virtual
 * thread, but only one runs at a time. At each messaging call or barrier the running node hands
 * control back, and the driver resumes the node that is earliest in virtual time (a node waiting for
 * a message is ready when that message arrives); ties are broken by the seeded random generator.
 * The same seed gives the same interleaving, the same clocks and the same bytes.
 *
 * <p>A run in which every unfinished node waits and none can proceed is a deadlock, and a run past
 * the switch bound a livelock: both fail with a message naming each node's state and the seed.
 */
public final class DeterministicRuntime {

    private final long seed;
    private final long maxSwitches;

    /** A runtime whose tie-breaks come from {@code seed}, with a bound of 50 million switches. */
    public DeterministicRuntime(long seed) {
        this(seed, 50_000_000);
    }

    /** A runtime whose tie-breaks come from {@code seed} and that fails after {@code maxSwitches} switches. */
    public DeterministicRuntime(long seed, long maxSwitches) {
        this.seed = seed;
        this.maxSwitches = maxSwitches;
    }

    /** Runs {@code program} on every node of {@code participants}, messages going through {@code stack}. */
    public RunResult run(Supernode machine, CopyStack stack, int[] participants, NodeProgram program) {
        if (participants.length == 0) {
            throw new ConfigFault("a run needs at least one participating node");
        }
        MessagePlane plane = new MessagePlane(machine, stack, MessagePlane.Service.INLINE);
        Driver driver = new Driver(machine, plane, participants, program);
        long hostStart = System.nanoTime();
        driver.run();
        long makespan = 0;
        for (int node : participants) {
            makespan = Math.max(makespan, machine.node(node).clock().nowNanos());
        }
        return new RunResult(makespan, System.nanoTime() - hostStart, driver.switches, seed);
    }

    /** Raised in a node's thread to unwind it when the run is aborted; an Error so programs cannot swallow it. */
    private static final class Aborted extends Error {
        Aborted() {
            super("run aborted", null, false, false);
        }
    }

    /** The driver: owns the choice of which node runs next. */
    final class Driver implements Scheduler {

        private enum State { READY, WAITING, SIGNAL, SPACE, BARRIER, DONE }

        private final Supernode machine;
        private final MessagePlane plane;
        private final int[] participants;
        private final NodeProgram program;
        private final int[] slotOf;
        private final State[] state;
        private final int[] waitSource;
        private final long[] waitTag;
        private final long[] waitValue;
        private final Semaphore[] go;
        private final Throwable[] failure;
        private final Thread[] threads;
        private final Semaphore back = new Semaphore(0);
        private final SplittableRandom random = new SplittableRandom(seed);
        private volatile boolean aborted;
        private long switches;

        Driver(Supernode machine, MessagePlane plane, int[] participants, NodeProgram program) {
            this.machine = machine;
            this.plane = plane;
            this.participants = participants.clone();
            this.program = program;
            int n = participants.length;
            this.slotOf = new int[machine.nodeCount()];
            Arrays.fill(slotOf, -1);
            this.state = new State[n];
            this.waitSource = new int[n];
            this.waitTag = new long[n];
            this.waitValue = new long[n];
            this.go = new Semaphore[n];
            this.failure = new Throwable[n];
            this.threads = new Thread[n];
            for (int i = 0; i < n; i++) {
                if (participants[i] < 0 || participants[i] >= machine.nodeCount() || slotOf[participants[i]] >= 0) {
                    throw new ConfigFault("participants must be distinct nodes of the machine, got node " + participants[i]);
                }
                slotOf[participants[i]] = i;
                state[i] = State.READY;
                go[i] = new Semaphore(0);
            }
        }

        void run() {
            for (int i = 0; i < participants.length; i++) {
                int slot = i;
                NodeContext ctx = new NodeContext(participants[i], participants, machine, plane, this);
                threads[i] = Thread.ofVirtual().name("node-" + participants[i]).unstarted(() -> body(slot, ctx));
                threads[i].start();
            }
            try {
                loop();
            } finally {
                finish();
            }
        }

        private void body(int slot, NodeContext ctx) {
            try {
                go[slot].acquireUninterruptibly();
                if (!aborted) {
                    program.run(ctx);
                }
            } catch (Aborted e) {
                // unwound on purpose
            } catch (Throwable t) {
                failure[slot] = t;
            } finally {
                ctx.freeBuffers();
                state[slot] = State.DONE;
                back.release();
            }
        }

        private void loop() {
            List<Integer> earliest = new ArrayList<>();
            while (true) {
                long best = Long.MAX_VALUE;
                earliest.clear();
                int live = 0;
                int atBarrier = 0;
                for (int i = 0; i < participants.length; i++) {
                    if (state[i] == State.DONE) {
                        continue;
                    }
                    live++;
                    long readyAt = switch (state[i]) {
                        case READY -> machine.node(participants[i]).clock().nowNanos();
                        case WAITING -> plane.endpoint(participants[i]).earliestMatch(waitSource[i], waitTag[i]);
                        case SIGNAL -> signalArrival(i);
                        default -> Long.MAX_VALUE;
                    };
                    if (state[i] == State.BARRIER) {
                        atBarrier++;
                    }
                    if (readyAt < best) {
                        best = readyAt;
                        earliest.clear();
                    }
                    if (readyAt == best && readyAt != Long.MAX_VALUE) {
                        earliest.add(i);
                    }
                }
                if (live == 0) {
                    return;
                }
                if (earliest.isEmpty()) {
                    if (atBarrier == live) {
                        releaseBarrier();
                        continue;
                    }
                    throw new NodeProgramFailure("deadlock (seed " + seed + "): " + describe(), null);
                }
                if (++switches > maxSwitches) {
                    throw new NodeProgramFailure("no progress after " + maxSwitches + " switches (seed " + seed
                            + "): " + describe(), null);
                }
                int slot = earliest.size() == 1 ? earliest.getFirst() : earliest.get(random.nextInt(earliest.size()));
                state[slot] = State.READY;
                go[slot].release();
                back.acquireUninterruptibly();
                if (state[slot] != State.SPACE) {
                    // Another node ran: a sender that found a full ring may find room now.
                    for (int i = 0; i < participants.length; i++) {
                        if (state[i] == State.SPACE && i != slot) {
                            state[i] = State.READY;
                        }
                    }
                }
                if (failure[slot] != null) {
                    Throwable cause = failure[slot];
                    throw new NodeProgramFailure("node " + participants[slot] + " failed (seed " + seed + "): " + cause,
                            cause);
                }
            }
        }

        /** When a node waiting on a signal may run: the signal's arrival once it holds the value, else never yet. */
        private long signalArrival(int slot) {
            GlobalAddressSpace space = machine.addressSpace();
            return SignalSlot.peekValue(space, waitTag[slot]) >= waitValue[slot]
                    ? SignalSlot.peekArrivalNanos(space, waitTag[slot]) : Long.MAX_VALUE;
        }

        private void releaseBarrier() {
            long latest = 0;
            for (int i = 0; i < participants.length; i++) {
                if (state[i] == State.BARRIER) {
                    latest = Math.max(latest, machine.node(participants[i]).clock().nowNanos());
                }
            }
            long meet = latest + Barriers.costNanos(plane, participants.length);
            for (int i = 0; i < participants.length; i++) {
                if (state[i] == State.BARRIER) {
                    machine.node(participants[i]).clock().advanceTo(meet);
                    state[i] = State.READY;
                }
            }
        }

        private String describe() {
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < participants.length; i++) {
                out.append(i == 0 ? "" : "; ").append("node ").append(participants[i]).append(' ').append(switch (state[i]) {
                    case READY -> "ready at " + machine.node(participants[i]).clock().nowNanos() + " ns";
                    case WAITING -> "waits for a message from "
                            + (waitSource[i] < 0 ? "any node" : "node " + waitSource[i]) + " with tag " + waitTag[i];
                    case SIGNAL -> "waits for the signal at " + SupernodeFault.hex(waitTag[i]) + " to reach " + waitValue[i];
                    case SPACE -> "waits for room in a receiver's eager ring";
                    case BARRIER -> "waits at the barrier";
                    case DONE -> "finished";
                });
            }
            return out.toString();
        }

        private void finish() {
            aborted = true;
            for (int i = 0; i < participants.length; i++) {
                go[i].release();
            }
            for (Thread t : threads) {
                if (t != null) {
                    try {
                        t.join();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }

        private void handBack(int node) {
            int slot = slotOf[node];
            back.release();
            go[slot].acquireUninterruptibly();
            if (aborted) {
                throw new Aborted();
            }
        }

        @Override
        public void yieldPoint(int node) {
            handBack(node);
        }

        @Override
        public void awaitMessage(int node, int source, long tag) {
            int slot = slotOf[node];
            state[slot] = State.WAITING;
            waitSource[slot] = source;
            waitTag[slot] = tag;
            handBack(node);
        }

        @Override
        public void awaitSignal(int node, long signalAddress, long value) {
            int slot = slotOf[node];
            state[slot] = State.SIGNAL;
            waitTag[slot] = signalAddress;
            waitValue[slot] = value;
            handBack(node);
        }

        @Override
        public void awaitSpace(int node) {
            // Not runnable until another node has run: only a receiver can make room.
            state[slotOf[node]] = State.SPACE;
            handBack(node);
        }

        @Override
        public void barrier(int node) {
            state[slotOf[node]] = State.BARRIER;
            handBack(node);
        }
    }
}
