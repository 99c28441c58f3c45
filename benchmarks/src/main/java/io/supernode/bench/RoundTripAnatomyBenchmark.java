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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;

/**
 * Where {@link CopyRoundTripBenchmark}'s copy path spends its round trip beyond the bare JCTools floor.
 * Between the very same two threads, in turns of {@value CopyRoundTripBenchmark#TURN}, it runs the floor,
 * a minimal ring in node memory that moves what the eager ring moves for an 8-byte message (one 64-byte
 * line, stamp written last) with the copy path's per-message work added up to {@code level}, and the copy
 * path itself. Each level includes the ones before it:
 * <ol start="0">
 * <li>the line alone: a sequence stamp, tag, arrival and payload;</li>
 * <li>the eager ring's record rules: a stamp holding lap, flags and length, and the receiver matching the tag;</li>
 * <li>modeled time: the sender prices the message from its clock, the receiver advances its own to the arrival;</li>
 * <li>stats: each side counts the operation, its bytes and its modeled time;</li>
 * <li>checks: each side checks the caller's range, and the receiver that the message fits.</li>
 * </ol>
 * The line ring's state is one object away from the benchmark; the copy path reaches its ring through the
 * endpoint and its ring table, and adds the endpoint's dispatch, the plane's price tables and the host-timing
 * checks. The difference between level 4 and the copy path is what those cost. {@link RoundTripRatio}
 * ({@code run-jmh ratio --anatomy}) runs level 4 over many forks and reads it at both levels of the floor.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
public class RoundTripAnatomyBenchmark extends BenchmarkDefaults {

    private static final Object TOKEN = new Object();
    private static final int TURN = CopyRoundTripBenchmark.TURN;
    private static final long RING_BYTES = Endpoint.RING_BYTES;
    private static final String LEVEL_PROPERTY = "supernode.anatomy.level";

    @Param({"0", "1", "2", "3", "4"})
    public int level;

    private Supernode machine;
    private Endpoint node0;
    private Side side0;
    private MemorySegment buffer0;
    private SpscArrayQueue<Object> ping;
    private SpscArrayQueue<Object> pong;
    private LineRing to1;
    private LineRing to0;
    private Thread echo;
    private volatile boolean running;

    /** Host nanoseconds per round trip of each kind in this iteration, for JMH to report beside the score. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Turns {
        long floorNanos;
        long ringNanos;
        long copyNanos;
        long roundTrips;

        @Setup(Level.Iteration)
        public void clear() {
            floorNanos = 0;
            ringNanos = 0;
            copyNanos = 0;
            roundTrips = 0;
        }

        /** The bare JCTools ping-pong. */
        public double floorNs() {
            return perRoundTrip(floorNanos);
        }

        /** The minimal ring with the copy path's work up to {@code level}. */
        public double ringNs() {
            return perRoundTrip(ringNanos);
        }

        /** The copy path ({@code Endpoint.trySend} and {@code tryReceive}). */
        public double copyNs() {
            return perRoundTrip(copyNanos);
        }

        private double perRoundTrip(long nanos) {
            return roundTrips == 0 ? Double.NaN : (double) nanos / roundTrips;
        }
    }

    /** One node's own modeled clock and counters, on lines no other thread writes. */
    static final class Side {
        private static final int CLOCK = 16;
        private static final int OPS = 17;
        private static final int BYTES = 18;
        private static final int MODELED = 19;
        private final long[] words = new long[40];
    }

    /**
     * A single-producer, single-consumer ring of one 64-byte line per 8-byte message: stamp, tag, arrival,
     * payload. A ping-pong has one message in flight, so the producer never needs the consumer's head; the
     * consumer still publishes it, as the eager ring does.
     */
    static final class LineRing {
        private static final VarHandle STAMP = ValueLayout.JAVA_LONG.varHandle();
        private static final VarHandle INDEX = MethodHandles.arrayElementVarHandle(long[].class);
        private static final ValueLayout.OfLong WORD = ValueLayout.JAVA_LONG_UNALIGNED;
        private static final long LINE = 64;
        private static final int TAIL = 16;
        private static final int HEAD = 32;
        /** Any prices will do: what is measured is the work of applying them. */
        private static final long SEND_SIDE_NANOS = 700;
        private static final long WIRE_NANOS = 1_300;
        private static final long RECEIVE_SIDE_NANOS = 900;
        private static final int INLINE_FLAG = 1 << 28;
        private static final long LENGTH_MASK = INLINE_FLAG - 1;

        /**
         * The level, fixed for the JVM so that C2 folds the checks of the levels above it away: the ring then
         * runs no instruction the level does not ask for. JMH runs each {@code level} in a fork of its own.
         */
        private static final int LEVEL = Integer.getInteger(LEVEL_PROPERTY, 4);

        private final MemorySegment memory;
        private final long mask;
        private final int lapShift;
        /** The producer's tail and the consumer's head, 128 bytes apart and from the array's ends. */
        private final long[] indices = new long[48];

        LineRing(MemorySegment memory) {
            memory.fill((byte) 0);
            this.memory = memory;
            this.mask = memory.byteSize() - 1;
            this.lapShift = Long.numberOfTrailingZeros(memory.byteSize());
        }

        void offer(Side sender, long tag, MemorySegment source, long offset) {
            long length = Long.BYTES;
            if (LEVEL >= 4) {
                checkRange(source, offset, length);
            }
            long tail = indices[TAIL];
            long at = tail & mask;
            long start = 0;
            long depart = 0;
            long arrival = 0;
            if (LEVEL >= 2) {
                start = sender.words[Side.CLOCK];
                depart = start + SEND_SIDE_NANOS;
                arrival = depart + WIRE_NANOS;
            }
            memory.set(WORD, at + 8, tag);
            memory.set(WORD, at + 16, arrival);
            memory.set(WORD, at + 24, source.get(WORD, offset));
            STAMP.setRelease(memory, at, LEVEL >= 1 ? (tail >>> lapShift) << 32 | INLINE_FLAG | length : tail + 1);
            indices[TAIL] = tail + LINE;
            if (LEVEL >= 2) {
                sender.words[Side.CLOCK] = depart;
            }
            if (LEVEL >= 3) {
                count(sender, length, depart - start);
            }
        }

        /** The message's length, or -1 when the next one has not been written (or, from level 1, has another tag). */
        long take(Side receiver, long tag, MemorySegment destination, long offset, long maxLength) {
            long head = indices[HEAD];
            long at = head & mask;
            long stamp = (long) STAMP.getAcquire(memory, at);
            long length;
            if (LEVEL >= 1) {
                if ((stamp >>> 32) != ((head >>> lapShift) & 0xFFFF_FFFFL) || (int) stamp == 0
                        || memory.get(WORD, at + 8) != tag) {
                    return -1;
                }
                length = stamp & LENGTH_MASK;
            } else {
                if (stamp != head + 1) {
                    return -1;
                }
                length = Long.BYTES;
            }
            if (LEVEL >= 4) {
                if (length > maxLength) {
                    throw new IllegalArgumentException("a message of " + length + " bytes does not fit " + maxLength);
                }
                checkRange(destination, offset, length);
            }
            long arrival = memory.get(WORD, at + 16);
            destination.set(WORD, offset, memory.get(WORD, at + 24));
            INDEX.setRelease(indices, HEAD, head + LINE);
            if (LEVEL >= 2) {
                long start = receiver.words[Side.CLOCK];
                long now = Math.max(start, arrival) + RECEIVE_SIDE_NANOS;
                receiver.words[Side.CLOCK] = now;
                if (LEVEL >= 3) {
                    count(receiver, length, now - start);
                }
            }
            return length;
        }

        private static void count(Side side, long length, long modeledNanos) {
            side.words[Side.OPS]++;
            side.words[Side.BYTES] += length;
            side.words[Side.MODELED] += modeledNanos;
        }

        private static void checkRange(MemorySegment segment, long offset, long length) {
            if (offset < 0 || offset > segment.byteSize() - length) {
                throw new IndexOutOfBoundsException(length + " bytes at " + offset + " do not fit " + segment.byteSize());
            }
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        // Before LineRing's first use, which fixes its level for this JVM.
        System.setProperty(LEVEL_PROPERTY, Integer.toString(level));
        if (LineRing.LEVEL != level) {
            throw new IllegalStateException("level " + level + " needs a JVM of its own; this one runs level "
                    + LineRing.LEVEL + " (run with forks, not -f 0)");
        }
        machine = Supernode.boot(Presets.small());
        MessagePlane plane = new MessagePlane(machine, CopyStack.IB_GPUDIRECT, MessagePlane.Service.AGENT);
        node0 = plane.endpoint(0);
        Endpoint node1 = plane.endpoint(1);
        buffer0 = Arena.ofShared().allocate(64, 64);
        MemorySegment buffer1 = Arena.ofShared().allocate(64, 64);
        ping = new SpscArrayQueue<>(1024);
        pong = new SpscArrayQueue<>(1024);
        // The endpoint makes its eager rings on the first message each way, so they sit where they sit in
        // CopyRoundTripBenchmark: first in each node's memory. The line rings follow them, each in its
        // receiver's memory as the endpoint places its rings. Placement alone moves a ring's round trip on
        // this VM: the level-0 ring took about 103 ns first in node memory and 87-93 ns right after the eager rings.
        node0.trySend(1, 0, buffer0, 0, 8);
        node1.tryReceive(0, 0, buffer1, 0, 64);
        node1.trySend(0, 0, buffer1, 0, 8);
        node0.tryReceive(1, 0, buffer0, 0, 64);
        to1 = new LineRing(nodeMemory(1));
        to0 = new LineRing(nodeMemory(0));
        side0 = new Side();
        Side side1 = new Side();
        running = true;
        echo = Thread.ofPlatform().name("echo").daemon().start(() -> {
            while (running) {
                echoFloor();
                echoRing(side1, buffer1);
                echoCopy(node1, buffer1);
            }
        });
    }

    private MemorySegment nodeMemory(int node) {
        long offset = machine.memory(node).allocator().allocate(RING_BYTES, 4096);
        return machine.memory(node).segment().asSlice(offset, RING_BYTES);
    }

    private void echoFloor() {
        for (int served = 0; served < TURN && running; ) {
            Object token = ping.relaxedPoll();
            if (token == null) {
                Thread.onSpinWait();
                continue;
            }
            pong.relaxedOffer(token);
            served++;
        }
    }

    private void echoRing(Side side1, MemorySegment buffer1) {
        for (int served = 0; served < TURN && running; ) {
            if (to1.take(side1, 1, buffer1, 0, 64) < 0) {
                Thread.onSpinWait();
                continue;
            }
            to0.offer(side1, 2, buffer1, 0);
            served++;
        }
    }

    private void echoCopy(Endpoint node1, MemorySegment buffer1) {
        for (int served = 0; served < TURN && running; ) {
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

    /** One turn of each kind of round trip, each timed, between the same two threads. */
    @Benchmark
    public long interleaved(Turns turns) {
        long start = System.nanoTime();
        long checksum = 0;
        for (int i = 0; i < TURN; i++) {
            ping.relaxedOffer(TOKEN);
            while (pong.relaxedPoll() == null) {
                Thread.onSpinWait();
            }
        }
        long afterFloor = System.nanoTime();
        for (int i = 0; i < TURN; i++) {
            to1.offer(side0, 1, buffer0, 0);
            long length;
            while ((length = to0.take(side0, 2, buffer0, 0, 64)) < 0) {
                Thread.onSpinWait();
            }
            checksum += length;
        }
        long afterRing = System.nanoTime();
        for (int i = 0; i < TURN; i++) {
            node0.trySend(1, 1, buffer0, 0, 8);
            long length;
            while ((length = node0.tryReceive(1, 2, buffer0, 0, 64)) < 0) {
                Thread.onSpinWait();
            }
            checksum += length;
        }
        long end = System.nanoTime();
        turns.floorNanos += afterFloor - start;
        turns.ringNanos += afterRing - afterFloor;
        turns.copyNanos += end - afterRing;
        turns.roundTrips += TURN;
        return checksum;
    }
}
