package io.supernode.bench;

import io.supernode.gas.Presets;
import io.supernode.gas.Supernode;
import io.supernode.gas.messaging.CopyStack;
import io.supernode.gas.messaging.Endpoint;
import io.supernode.gas.messaging.MessagePlane;
import org.jctools.queues.SpscArrayQueue;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;

/**
 * The copy path's in-process round trip (an 8-byte message to node 1's endpoint, which another thread
 * receives and sends back) against a bare JCTools SPSC ping-pong between the same two kinds of thread:
 * the floor any in-process message path pays for crossing cores. Target: at most 1.5x the floor.
 *
 * <p>{@code interleaved} measures both between the very same two threads, in turns of {@value #TURN}
 * round trips each, and reports per iteration each one's nanoseconds per round trip and their ratio as
 * secondary results. JMH's summary line adds those up over the iterations (divide by {@code Cnt}); the
 * iteration lines show each. On this project's 2-vCPU VM the floor moves between forks with where the
 * host places the vCPUs, and within one fork it toggles between two levels (about 75 and 89 ns) while the
 * copy path stays where it is. {@link RoundTripRatio} reads both levels over many forks; the target is
 * judged on the median over the fast placement, since at the floor's lower level even a minimal ring doing
 * the copy path's per-message work ({@link RoundTripAnatomyBenchmark}, level 4) costs about 1.5x the floor.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
public class CopyRoundTripBenchmark extends BenchmarkDefaults {

    private static final Object TOKEN = new Object();

    private Supernode machine;
    private Endpoint node0;
    private MemorySegment buffer0;
    private SpscArrayQueue<Object> ping;
    private SpscArrayQueue<Object> pong;
    private Thread echo;
    private volatile boolean running;

    /** Round trips of each kind per turn of {@code interleaved}: enough that switching kinds costs nothing seen. */
    static final int TURN = 4096;

    /** Host nanoseconds of {@code interleaved}'s two kinds of round trip, for JMH to report beside the score. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Turns {
        long bareNanos;
        long copyNanos;
        long roundTrips;

        @Setup(Level.Iteration)
        public void clear() {
            bareNanos = 0;
            copyNanos = 0;
            roundTrips = 0;
        }

        /** The bare ping-pong's nanoseconds per round trip in this iteration. */
        public double bareNs() {
            return perRoundTrip(bareNanos);
        }

        /** The copy path's nanoseconds per round trip in this iteration. */
        public double copyNs() {
            return perRoundTrip(copyNanos);
        }

        /** The copy path's round trip over the bare one's, both measured in this iteration's turns. */
        public double copyOverBare() {
            return copyNs() / bareNs();
        }

        private double perRoundTrip(long nanos) {
            return roundTrips == 0 ? Double.NaN : (double) nanos / roundTrips;
        }
    }

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) {
        // The echo serves only the benchmark being run, so neither figure pays for polling the other's queue;
        // for the interleaved one it serves the two in the same turns as the benchmark thread.
        String benchmark = params.getBenchmark();
        boolean copyPath = benchmark.endsWith("copyPathRoundTrip");
        boolean interleaved = benchmark.endsWith("interleaved");
        machine = Supernode.boot(Presets.small());
        MessagePlane plane = new MessagePlane(machine, CopyStack.IB_GPUDIRECT, MessagePlane.Service.AGENT);
        node0 = plane.endpoint(0);
        Endpoint node1 = plane.endpoint(1);
        buffer0 = Arena.ofShared().allocate(64);
        MemorySegment buffer1 = Arena.ofShared().allocate(64);
        ping = new SpscArrayQueue<>(1024);
        pong = new SpscArrayQueue<>(1024);
        running = true;
        echo = Thread.ofPlatform().name("echo").daemon().start(() -> {
            if (interleaved) {
                while (running) {
                    echoBare(TURN);
                    echoCopy(node1, buffer1, TURN);
                }
            } else if (copyPath) {
                echoCopy(node1, buffer1, -1);
            } else {
                echoBare(-1);
            }
        });
    }

    /** Sends back {@code count} ping tokens (any number when negative), or until the trial ends. */
    private void echoBare(long count) {
        for (long served = 0; served != count && running; ) {
            Object token = ping.relaxedPoll();
            if (token == null) {
                Thread.onSpinWait();
                continue;
            }
            pong.relaxedOffer(token);
            served++;
        }
    }

    /** Sends back {@code count} messages to node 0 (any number when negative), or until the trial ends. */
    private void echoCopy(Endpoint node1, MemorySegment buffer1, long count) {
        for (long served = 0; served != count && running; ) {
            if (node1.tryReceive(0, 1, buffer1, 0, 64) < 0) {
                Thread.onSpinWait();
                continue;
            }
            node1.trySend(0, 2, buffer1, 0, 8);
            served++;
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
        running = false;
        echo.join();
        machine.close();
    }

    @Benchmark
    public long copyPathRoundTrip() {
        node0.trySend(1, 1, buffer0, 0, 8);
        long length;
        while ((length = node0.tryReceive(1, 2, buffer0, 0, 64)) < 0) {
            Thread.onSpinWait();
        }
        return length;
    }

    /** {@value #TURN} bare round trips then {@value #TURN} copy-path ones, each timed, between the same two threads. */
    @Benchmark
    public long interleaved(Turns turns) {
        long start = System.nanoTime();
        for (int i = 0; i < TURN; i++) {
            bareJctoolsPingPong();
        }
        long middle = System.nanoTime();
        long length = 0;
        for (int i = 0; i < TURN; i++) {
            length += copyPathRoundTrip();
        }
        long end = System.nanoTime();
        turns.bareNanos += middle - start;
        turns.copyNanos += end - middle;
        turns.roundTrips += TURN;
        return length;
    }

    @Benchmark
    public Object bareJctoolsPingPong() {
        ping.relaxedOffer(TOKEN);
        Object back;
        while ((back = pong.relaxedPoll()) == null) {
            Thread.onSpinWait();
        }
        return back;
    }
}
