package io.supernode.bench;

import io.supernode.gas.Presets;
import io.supernode.gas.Supernode;
import io.supernode.gas.messaging.CopyStack;
import io.supernode.gas.messaging.Endpoint;
import io.supernode.gas.messaging.MessagePlane;
import org.jctools.queues.SpscArrayQueue;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;

/**
 * The copy path's in-process round trip (an 8-byte message to node 1's endpoint, which another thread
 * receives and sends back) against a bare JCTools SPSC ping-pong between the same two kinds of thread:
 * the floor any in-process message path pays for crossing cores. Target: at most 1.5x the floor.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
        "-Dchronicle.analytics.disable=true"})
@State(Scope.Benchmark)
public class CopyRoundTripBenchmark {

    private static final Object TOKEN = new Object();

    private Supernode machine;
    private Endpoint node0;
    private MemorySegment buffer0;
    private SpscArrayQueue<Object> ping;
    private SpscArrayQueue<Object> pong;
    private Thread echo;
    private volatile boolean running;

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) {
        // The echo serves only the benchmark being run, so neither figure pays for polling the other's queue.
        boolean copyPath = params.getBenchmark().endsWith("copyPathRoundTrip");
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
            while (running) {
                if (copyPath) {
                    if (node1.tryReceive(0, 1, buffer1, 0, 64) >= 0) {
                        node1.trySend(0, 2, buffer1, 0, 8);
                        continue;
                    }
                } else {
                    Object token = ping.relaxedPoll();
                    if (token != null) {
                        pong.relaxedOffer(token);
                        continue;
                    }
                }
                Thread.onSpinWait();
            }
        });
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
