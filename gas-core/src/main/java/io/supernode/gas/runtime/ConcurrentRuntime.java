package io.supernode.gas.runtime;

import io.supernode.gas.Supernode;
import io.supernode.gas.agent.Backoff;
import io.supernode.gas.fault.ConfigFault;
import io.supernode.gas.messaging.CopyStack;
import io.supernode.gas.messaging.MessagePlane;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.CompositeAgent;
import org.agrona.concurrent.IdleStrategy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Phaser;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A concurrent runtime: every node program on its own platform thread, messages through the endpoints'
 * eager rings in node memory, and one service thread on which an Agrona {@link AgentRunner} runs every
 * owner's service (each endpoint is an Agrona agent, all of them one {@link CompositeAgent}) in a duty
 * cycle with the {@link Backoff} idle strategy. Modeled time follows the same cost model as the deterministic runtime; the
 * interleaving is the host's, so link contention may be charged in a different order.
 */
public final class ConcurrentRuntime {

    private final Duration timeout;

    /** A runtime that fails a run still going after one minute. */
    public ConcurrentRuntime() {
        this(Duration.ofMinutes(1));
    }

    /** A runtime that fails a run still going after {@code timeout} (a deadlock shows up this way). */
    public ConcurrentRuntime(Duration timeout) {
        this.timeout = timeout;
    }

    /** Runs {@code program} on every node of {@code participants}, messages going through {@code stack}. */
    public RunResult run(Supernode machine, CopyStack stack, int[] participants, NodeProgram program) {
        if (participants.length == 0) {
            throw new ConfigFault("a run needs at least one participating node");
        }
        MessagePlane plane = new MessagePlane(machine, stack, MessagePlane.Service.AGENT);
        Driver driver = new Driver(machine, plane, participants);
        long hostStart = System.nanoTime();
        List<Agent> services = new ArrayList<>();
        for (int node = 0; node < machine.nodeCount(); node++) {
            services.add(plane.endpoint(node));
        }
        // A failing service fails the run (its node programs would otherwise wait for replies until the timeout).
        AgentRunner service = new AgentRunner(Backoff.idleStrategy(),
                error -> driver.abort(new NodeProgramFailure("an owner's service failed: " + error, error)), null,
                new CompositeAgent(services));
        AgentRunner.startOnThread(service, work -> Thread.ofPlatform().name("supernode-service").daemon().unstarted(work));
        Thread[] nodes = new Thread[participants.length];
        for (int i = 0; i < participants.length; i++) {
            NodeContext ctx = new NodeContext(participants[i], participants, machine, plane, driver);
            nodes[i] = Thread.ofPlatform().name("node-" + participants[i]).start(() -> driver.body(ctx, program));
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            for (Thread t : nodes) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !t.join(Duration.ofNanos(left))) {
                    driver.abort(new NodeProgramFailure("run still going after " + timeout + " (deadlock?)", null));
                    for (Thread n : nodes) {
                        n.join(Duration.ofSeconds(5));
                    }
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            driver.abort(new NodeProgramFailure("interrupted", e));
        } finally {
            service.close();
        }
        if (driver.failure.get() != null) {
            throw driver.failure.get();
        }
        long makespan = 0;
        for (int node : participants) {
            makespan = Math.max(makespan, machine.node(node).clock().nowNanos());
        }
        return new RunResult(makespan, System.nanoTime() - hostStart, 0, machine.config().seed());
    }

    /** Waiting and barriers on real threads. */
    static final class Driver implements Scheduler {

        private final Supernode machine;
        private final int[] participants;
        private final int[] slotOf;
        private final IdleStrategy[] idle;
        private final Phaser barrier;
        private final AtomicReference<NodeProgramFailure> failure = new AtomicReference<>();

        Driver(Supernode machine, MessagePlane plane, int[] participants) {
            this.machine = machine;
            this.participants = participants.clone();
            this.slotOf = new int[machine.nodeCount()];
            this.idle = new IdleStrategy[participants.length];
            for (int i = 0; i < participants.length; i++) {
                slotOf[participants[i]] = i;
                idle[i] = Backoff.idleStrategy();
            }
            long cost = Barriers.costNanos(plane, participants.length);
            this.barrier = new Phaser(participants.length) {
                @Override
                protected boolean onAdvance(int phase, int parties) {
                    // Runs in the last arriving thread before any waiting one resumes: clocks meet here.
                    long latest = 0;
                    for (int node : Driver.this.participants) {
                        latest = Math.max(latest, machine.node(node).clock().nowNanos());
                    }
                    for (int node : Driver.this.participants) {
                        machine.node(node).clock().advanceTo(latest + cost);
                    }
                    return false;
                }
            };
        }

        void body(NodeContext ctx, NodeProgram program) {
            try {
                program.run(ctx);
            } catch (Throwable t) {
                abort(new NodeProgramFailure("node " + ctx.nodeId() + " failed: " + t, t));
            } finally {
                ctx.freeBuffers();
            }
        }

        void abort(NodeProgramFailure why) {
            failure.compareAndSet(null, why);
        }

        private void checkAborted() {
            if (failure.get() != null) {
                throw new IllegalStateException("run aborted: " + failure.get().getMessage());
            }
        }

        @Override
        public void yieldPoint(int node) {
            checkAborted();
        }

        @Override
        public void awaitMessage(int node, int source, long tag) {
            checkAborted();
            idle[slotOf[node]].idle();
        }

        @Override
        public void awaitSignal(int node, long signalAddress, long value) {
            checkAborted();
            idle[slotOf[node]].idle();
        }

        @Override
        public void awaitSpace(int node) {
            checkAborted();
            idle[slotOf[node]].idle();
        }

        @Override
        public void barrier(int node) {
            checkAborted();
            int phase = barrier.arrive();
            while (true) {
                try {
                    barrier.awaitAdvanceInterruptibly(phase, 10, TimeUnit.MILLISECONDS);
                    return;
                } catch (TimeoutException e) {
                    // Wait in slices so that an aborted run releases its waiters.
                    checkAborted();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted at the barrier", e);
                }
            }
        }
    }
}
