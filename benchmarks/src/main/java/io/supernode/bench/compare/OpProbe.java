package io.supernode.bench.compare;

import io.supernode.gas.path.FabricPair;
import io.supernode.gas.Supernode;
import io.supernode.gas.access.NodeAccess;
import io.supernode.gas.messaging.Endpoint;
import io.supernode.gas.messaging.MessagePlane;
import io.supernode.gas.stats.HostTiming;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * One cell of the {@link Sweep}, set up once and run as often as a host-time measurement needs: node 0
 * fetches {@code size} bytes held by the machine's last node with one {@link Method}, on one thread. The
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

    private final Method method;
    private final long sizeBytes;
    private final int holder;
    private final Supernode machine;
    private final NodeAccess npu0;
    private final Endpoint receiver;
    private final Endpoint sender;
    private final long address;
    private final MemorySegment held;
    private final MemorySegment local;
    private final Arena arena = Arena.ofConfined();
    private long tag;
    /** Where timed loops leave their sum, so the JIT cannot drop the operations. */
    private long sink;

    private OpProbe(FabricPair pair, Method method, long sizeBytes, long seed) {
        CellMachine cell = CellMachine.boot(pair, sizeBytes, HostTiming.BULK_ONLY, seed);
        this.method = method;
        this.sizeBytes = sizeBytes;
        this.holder = cell.holder();
        this.machine = cell.machine();
        this.address = cell.address();
        this.held = cell.held();
        this.npu0 = machine.node(0);
        MessagePlane plane = new MessagePlane(machine, pair.copy(), MessagePlane.Service.INLINE);
        this.receiver = plane.endpoint(0);
        this.sender = plane.endpoint(holder);
        this.local = arena.allocate(sizeBytes, 64);
    }

    /** A probe of {@code method} moving {@code sizeBytes} over {@code pair}'s machine shape and copy stack. */
    public static OpProbe open(FabricPair pair, Method method, long sizeBytes, long seed) {
        return new OpProbe(pair, method, sizeBytes, seed);
    }

    /** The method this probe runs. */
    public Method method() {
        return method;
    }

    /** The bytes each operation fetches. */
    public long sizeBytes() {
        return sizeBytes;
    }

    /** Performs one operation; returns the first 8 bytes fetched, for the caller to consume or check. */
    public long runOnce() {
        switch (method) {
            case UNIFIED_LOAD -> {
                return sizeBytes == 8 ? npu0.loadLong(address) : npu0.view(address, sizeBytes).get(WORD, 0);
            }
            case UNIFIED_COPY -> npu0.read(address, local, 0, sizeBytes);
            case SEND_RECV -> {
                long t = tag++;
                if (!sender.trySend(0, t, held, 0, sizeBytes) || receiver.tryReceive(holder, t, local, 0, sizeBytes) < 0) {
                    throw new IllegalStateException("a probe message to an idle receiver was refused or lost");
                }
            }
            case RPC_READ -> receiver.rpcRead(address, local, 0, sizeBytes);
            case ONE_SIDED_GET -> receiver.get(address, local, 0, sizeBytes);
        }
        return local.get(WORD, 0);
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
        try (OpProbe probe = open(FabricPair.byName(args[0]), Method.valueOf(args[1]), Long.parseLong(args[2]),
                Long.parseLong(args[3]))) {
            System.out.println(probe.hostNanosPerOp(Long.parseLong(args[4]), Long.parseLong(args[5])));
        } catch (IllegalArgumentException e) {
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
