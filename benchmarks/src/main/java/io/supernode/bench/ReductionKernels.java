package io.supernode.bench;

import io.supernode.collectives.data.DataType;
import io.supernode.collectives.data.Inputs;
import io.supernode.collectives.data.ReduceOp;
import io.supernode.collectives.data.Reduction;
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
 * The collectives' reduction kernel, summing 64 Ki elements of an incoming buffer into a node's buffer (off
 * heap, as collectives reduce in node memory), against a plain loop summing two float arrays on the heap
 * in the same run. Target: fp32 and bf16 at least 0.5x the plain loop's throughput (bf16 widens every
 * element to float and rounds it back). Each subclass runs in its own fork: {@link ReductionBenchmark} with
 * the Vector API resolved, {@link ReductionWithoutVectorApiBenchmark} without it; each checks at set-up
 * that its fork runs the loops it names.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
abstract class ReductionKernels extends BenchmarkDefaults {

    private static final int ELEMENTS = 1 << 16;

    private Arena arena;
    private MemorySegment incomingFloats;
    private MemorySegment intoFloats;
    private MemorySegment incomingBf16;
    private MemorySegment intoBf16;
    private float[] incoming;
    private float[] into;

    /** Whether this benchmark's fork resolves module {@code jdk.incubator.vector}. */
    abstract boolean withVectorApi();

    @Setup(Level.Trial)
    public void setUp() {
        if (Reduction.vectorized() != withVectorApi()) {
            throw new IllegalStateException("this fork should " + (withVectorApi() ? "" : "not ")
                    + "resolve jdk.incubator.vector; check the @Fork arguments");
        }
        arena = Arena.ofShared();
        incomingFloats = arena.allocate(ELEMENTS * 4L, 64);
        intoFloats = arena.allocate(ELEMENTS * 4L, 64);
        incomingBf16 = arena.allocate(ELEMENTS * 2L, 64);
        intoBf16 = arena.allocate(ELEMENTS * 2L, 64);
        Inputs.fill(DataType.FLOAT32, 1, 0, 0, ELEMENTS, incomingFloats, 0);
        Inputs.fill(DataType.FLOAT32, 1, 1, 0, ELEMENTS, intoFloats, 0);
        Inputs.fill(DataType.BFLOAT16, 1, 0, 0, ELEMENTS, incomingBf16, 0);
        Inputs.fill(DataType.BFLOAT16, 1, 1, 0, ELEMENTS, intoBf16, 0);
        incoming = new float[ELEMENTS];
        into = new float[ELEMENTS];
        for (int i = 0; i < ELEMENTS; i++) {
            incoming[i] = Inputs.value(DataType.FLOAT32, 1, 0, i);
            into[i] = Inputs.value(DataType.FLOAT32, 1, 1, i);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    @Benchmark
    public MemorySegment fp32Sum() {
        Reduction.reduce(DataType.FLOAT32, ReduceOp.SUM, incomingFloats, 0, intoFloats, 0, ELEMENTS);
        return intoFloats;
    }

    @Benchmark
    public MemorySegment bf16Sum() {
        Reduction.reduce(DataType.BFLOAT16, ReduceOp.SUM, incomingBf16, 0, intoBf16, 0, ELEMENTS);
        return intoBf16;
    }

    @Benchmark
    public float[] plainArraySum() {
        for (int i = 0; i < ELEMENTS; i++) {
            into[i] += incoming[i];
        }
        return into;
    }
}
