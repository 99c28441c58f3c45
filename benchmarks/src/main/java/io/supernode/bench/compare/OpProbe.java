package io.supernode.bench.compare;

import io.supernode.gas.path.FabricPair;
import io.supernode.gas.Supernode;
import io.supernode.gas.path.DataPath;
import io.supernode.gas.path.DataPaths;
import io.supernode.gas.path.PathKind;
import io.supernode.gas.messaging.MessagePlane;
import io.supernode.gas.stats.HostTiming;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * One cell of the {@link Sweep}, set up once and run as often as a host-time measurement needs: node 0
 * fetches {@code size} bytes held by the machine's last node through one {@link DataPath}, on one thread. The
 * report times it in a loop and JMH's {@code SweepOpBenchmark} through its harness, so the two measure
 * the same code and differ only in how they time it.
 *
 * <p>Send/receive runs both sides on the calling thread: the holder's send, then node 0's receive. Remote
 * reads are served inline, as on the deterministic runtime. The machine times operations from inside only
 * from {@link HostTiming#BULK_BYTES} up ({@link HostTiming#BULK_ONLY}), where two clock reads are small
 * beside the copy.
 */
public final class OpProbe implements AutoCloseable {

    private static final ValueLayout.OfLong WORD = ValueLayout.JAVA_LONG_UNALIGNED;
    /** Operations per timed batch: enough that reading the clock between batches costs nothing measurable. */
    private static final int BATCH = 256;

    private final long sizeBytes;
    private final Supernode machine;
    private final DataPath reader;
    private final DataPath holder;
    private final long address;
    private final MemorySegment held;
    private final MemorySegment local;
    private final Arena arena = Arena.ofConfined();
    /** Where timed loops leave their sum, so the JIT cannot drop the operations. */
    private long sink;

    private OpProbe(FabricPair pair, PathKind method, long sizeBytes, long seed) {
        CellMachine cell = CellMachine.boot(pair, sizeBytes, HostTiming.BULK_ONLY, seed);
        this.sizeBytes = sizeBytes;
        this.machine = cell.machine();
        this.address = cell.address();
        this.held = cell.held();
        DataPath[] paths = DataPaths.open(method, machine, new MessagePlane(machine, pair.copy(), MessagePlane.Service.INLINE));
        this.reader = paths[0];
        this.holder = paths[cell.holder()];
        this.local = arena.allocate(sizeBytes, 64);
    }

    /** A probe of {@code method} moving {@code sizeBytes} over {@code pair}'s machine shape and copy stack. */
    public static OpProbe open(FabricPair pair, PathKind method, long sizeBytes, long seed) {
        return new OpProbe(pair, method, sizeBytes, seed);
    }

    /** Performs one operation; returns the first 8 bytes fetched, for the caller to consume or check. */
    public long runOnce() {
        holder.offer(0, held, 0, sizeBytes);
        return sizeBytes == Long.BYTES ? reader.readLong(address) : reader.readable(address, sizeBytes, local).get(WORD, 0);
    }

    /** The first 8 bytes the holder holds: what {@link #runOnce} returns when the fetch moved the right bytes. */
    public long heldFirstWord() {
        return held.get(WORD, 0);
    }

    /**
     * Host ns per operation, measured as JMH measures: batches of operations run untimed for
     * {@code warmupMillis}, so the JIT compiles the batch, then the mean over the batches of the next
     * {@code timedMillis} (at least one batch).
     */
    public double hostNanosPerOp(long warmupMillis, long timedMillis) {
        long warmEnd = System.nanoTime() + warmupMillis * 1_000_000;
        while (System.nanoTime() < warmEnd) {
            sink += batch();
        }
        long start = System.nanoTime();
        long end = start + timedMillis * 1_000_000;
        long ops = 0;
        long now;
        do {
            sink += batch();
            ops += BATCH;
            now = System.nanoTime();
        } while (now < end);
        return (now - start) / (double) ops;
    }

    /** {@link #BATCH} operations, the sum of what they fetched; small, so the JIT compiles it whole. */
    private long batch() {
        long sum = 0;
        for (int i = 0; i < BATCH; i++) {
            sum += runOnce();
        }
        return sum;
    }

    /**
     * Times one probe in this JVM and prints its host ns per operation, so a caller can run each probe in a
     * fresh JVM as JMH forks one per benchmark: {@code PAIR METHOD SIZE SEED WARMUP_MS TIMED_MS}.
     */
    public static void main(String[] args) {
        if (args.length != 6) {
            System.err.println("usage: OpProbe PAIR METHOD SIZE SEED WARMUP_MS TIMED_MS");
            System.exit(2);
        }
        try (OpProbe probe = open(FabricPair.byName(args[0]), PathKind.byName(args[1]), Long.parseLong(args[2]),
                Long.parseLong(args[3]))) {
            System.out.println(probe.hostNanosPerOp(Long.parseLong(args[4]), Long.parseLong(args[5])));
        } catch (IllegalArgumentException | io.supernode.gas.fault.ConfigFault e) {
            System.err.println("OpProbe: " + e.getMessage());
            System.exit(2);
        }
    }

    @Override
    public void close() {
        machine.close();
        arena.close();
    }
}
