package io.supernode.bench;

import io.supernode.collectives.data.DataType;
import io.supernode.collectives.data.ReduceOp;
import io.supernode.collectives.run.CollectiveResult;
import io.supernode.collectives.run.CollectiveSpec;
import io.supernode.collectives.run.Collectives;
import io.supernode.collectives.run.Protocol;
import io.supernode.collectives.run.Timing;
import io.supernode.collectives.run.Transport;
import io.supernode.collectives.schedule.Algorithm;
import io.supernode.collectives.schedule.Op;
import io.supernode.collectives.schedule.Schedule;
import io.supernode.collectives.schedule.Schedules;
import io.supernode.collectives.team.Team;
import io.supernode.gas.Presets;
import io.supernode.gas.Supernode;
import io.supernode.gas.messaging.CopyStack;
import io.supernode.gas.messaging.MessagePlane;
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
 * The host cost of a modeled ring all-reduce on 8 H100s, 1 MiB of floats, Simple protocol, unified path: the
 * whole run ({@code ringAllReduce}: its 15 steps' real puts, signals and reductions in node memory, the timing at
 * full size, and the bit-for-bit check), the timing alone ({@code ringTiming}: every slice of the 16 channels
 * booked on the links), and as the baseline in the same run, the host copying the bytes the ring's steps move
 * between two off-heap buffers ({@code copyTheSameBytes}: 14 x 8 x 128 KiB). A step's host cost is a run's time
 * over 15.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
public class RingStepBenchmark extends BenchmarkDefaults {

    private static final int RANKS = 8;
    private static final long BYTES = 1 << 20;

    private Supernode machine;
    private MessagePlane plane;
    private CollectiveSpec spec;
    private Schedule schedule;
    private Arena arena;
    private MemorySegment from;
    private MemorySegment to;

    @Setup(Level.Trial)
    public void setUp() {
        machine = Supernode.boot(Presets.hgxH100());
        plane = new MessagePlane(machine, CopyStack.IB_GPUDIRECT, MessagePlane.Service.INLINE);
        spec = new CollectiveSpec(Op.ALL_REDUCE, DataType.FLOAT32, ReduceOp.SUM, 0, BYTES, Algorithm.RING,
                Protocol.SIMPLE, CollectiveSpec.DEFAULT_PAYLOAD_CAP_BYTES, 1);
        schedule = Schedules.build(Op.ALL_REDUCE, Algorithm.RING, RANKS, BYTES / 4, 0);
        arena = Arena.ofShared();
        from = arena.allocate(BYTES / RANKS, 64);
        to = arena.allocate(BYTES / RANKS, 64);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
        machine.close();
    }

    @Benchmark
    public CollectiveResult ringAllReduce() {
        return Collectives.run(machine, plane, Team.world(RANKS), spec, Transport.UNIFIED);
    }

    @Benchmark
    public Timing.Result ringTiming() {
        return Timing.of(schedule, Team.world(RANKS), 4, Transport.UNIFIED, Protocol.SIMPLE, machine.topology(), plane,
                Timing.MAX_EVENTS, Collectives.CHANNELS);
    }

    @Benchmark
    public MemorySegment copyTheSameBytes() {
        for (int step = 0; step < 2 * (RANKS - 1); step++) {
            for (int rank = 0; rank < RANKS; rank++) {
                MemorySegment.copy(from, 0, to, 0, BYTES / RANKS);
            }
        }
        return to;
    }
}
