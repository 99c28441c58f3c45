package io.supernode.bench;

import io.supernode.gas.Presets;
import io.supernode.gas.Supernode;
import io.supernode.gas.messaging.CopyStack;
import io.supernode.gas.messaging.Endpoint;
import io.supernode.gas.messaging.MessagePlane;
import org.jctools.queues.SpscArrayQueue;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;

/**
 * What one copy-path message costs the host with no second thread: an 8-byte send from node 0 and its
 * receive by node 1, both on the benchmark's thread, against a bare JCTools offer and poll. The
 * difference is the endpoint's own work per message (checks, pricing, stats, the ring's record), which
 * {@link CopyRoundTripBenchmark}'s cross-thread round trip pays twice on its critical path.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class MessageCostBenchmark extends BenchmarkDefaults {

    private static final Object TOKEN = new Object();

    private Supernode machine;
    private Endpoint node0;
    private Endpoint node1;
    private MemorySegment buffer0;
    private MemorySegment buffer1;
    private SpscArrayQueue<Object> queue;

    @Setup(Level.Trial)
    public void setUp() {
        machine = Supernode.boot(Presets.small());
        MessagePlane plane = new MessagePlane(machine, CopyStack.IB_GPUDIRECT, MessagePlane.Service.AGENT);
        node0 = plane.endpoint(0);
        node1 = plane.endpoint(1);
        buffer0 = Arena.ofShared().allocate(64);
        buffer1 = Arena.ofShared().allocate(64);
        queue = new SpscArrayQueue<>(1024);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        machine.close();
    }

    @Benchmark
    public long sendAndReceive() {
        node0.trySend(1, 1, buffer0, 0, 8);
        return node1.tryReceive(0, 1, buffer1, 0, 64);
    }

    @Benchmark
    public Object bareOfferAndPoll() {
        queue.relaxedOffer(TOKEN);
        return queue.relaxedPoll();
    }
}
