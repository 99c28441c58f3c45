package io.supernode.gas.messaging;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A producer thread and a consumer thread on one eager ring: every message arrives exactly once, in
 * order, with its own header and bytes, over hundreds of laps of the ring. Message sizes come from a seed
 * (set it with {@code -DeagerRing.seed=...} to replay a failure; every failure names it): one-line inline
 * payloads, the one-word payload the ring copies by hand, payloads spanning several lines (which make the
 * producer pad the ring's end when they do not fit before it), payloads at the line and inline-limit
 * edges, and by-reference records.
 *
 * <p>A payload's bytes come from its sequence number and the lap it is written in, and the consumer checks
 * every one. Each of its 8-byte words is shaped like a stamp of the next lap, so that wherever the
 * payload's bytes are left at the start of a line, a consumer that reaches that line in the next lap
 * before the producer does takes them for a record unless the ring cleared them ({@link EagerRingTest}
 * forges that case by hand; here the two threads find it by themselves).
 *
 * <p>Both sides give up at a deadline, so a ring that stops delivering fails the test instead of hanging it.
 */
class EagerRingConcurrencyTest {

    private static final int LINE = 64;
    /** The most payload that shares a line with the header. */
    private static final int ONE_LINE = LINE - EagerRecordDescriptor.HEADER_LENGTH;
    private static final int MESSAGES = 1 << 14;
    /**
     * Each ring's run gives up after this long, and the consumer after a second without a message; a
     * healthy run takes a few hundred milliseconds, most of them the first ring's, while the JIT warms up.
     */
    private static final long DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** Laps the consumer must have seen: the ring has to wrap hundreds of times for the test to mean much. */
    private static final long MIN_LAPS = 200;
    private static final ValueLayout.OfLong WORD = ValueLayout.JAVA_LONG_UNALIGNED;

    @ParameterizedTest(name = "ring of {0} bytes")
    @ValueSource(ints = {1 << 16, 4096, 1024})
    void everyMessageArrivesOnceInOrderWithItsBytesAcrossManyLaps(int capacity) throws InterruptedException {
        long seed = Long.getLong("eagerRing.seed", ThreadLocalRandom.current().nextLong());
        try (Arena arena = Arena.ofShared()) {
            EagerRing ring = new EagerRing(arena.allocate(capacity, LINE));
            Plan plan = new Plan(seed, capacity, ring.inlineLimit());
            long deadline = System.nanoTime() + DEADLINE_NANOS;
            AtomicLong offered = new AtomicLong();
            AtomicReference<Throwable> producerFailure = new AtomicReference<>();
            AtomicReference<Throwable> consumerFailure = new AtomicReference<>();
            MemorySegment source = arena.allocate(plan.inlineLimit, Long.BYTES);
            Thread producer = Thread.ofPlatform().name("eager-ring-producer").start(() -> {
                try {
                    produce(ring, plan, source, offered, consumerFailure, deadline);
                } catch (Throwable failure) {
                    producerFailure.set(failure);
                }
            });
            try {
                consume(ring, plan, arena, offered, producerFailure, deadline);
            } catch (Throwable failure) {
                consumerFailure.set(failure);
                throw failure;
            } finally {
                producer.join(TimeUnit.NANOSECONDS.toMillis(Math.max(0, deadline - System.nanoTime())) + 1000);
            }
            assertFalse(producer.isAlive(), plan.where(offered.get()) + ": the producer did not finish");
            if (producerFailure.get() != null) {
                fail(plan.where(offered.get()) + ": the producer failed", producerFailure.get());
            }
            assertEquals(-1, ring.peek(), plan.where(MESSAGES) + ": a record after the last message");
        }
    }

    private static void produce(EagerRing ring, Plan plan, MemorySegment source, AtomicLong offered,
                                AtomicReference<Throwable> consumerFailure, long deadline) {
        long position = 0;
        for (long seq = 0; seq < MESSAGES; seq++) {
            long length = plan.length(seq);
            boolean inline = length <= plan.inlineLimit;
            long size = EagerRecordDescriptor.recordLength(inline, length);
            position = plan.recordPosition(position, size);
            if (inline) {
                plan.payload(seq, position, length, source);
            }
            for (int spins = 0; ; spins++) {
                boolean room = ring.hasRoom(inline, length);
                boolean sent = inline
                        ? ring.offer(seq, plan.arrival(seq), source, 0, 0, length)
                        : ring.offer(seq, plan.arrival(seq), null, 0, plan.landing(seq), length);
                if (sent) {
                    break;
                }
                if (room) {
                    fail(plan.where(seq) + ": hasRoom said a record of " + length + " bytes fits, offer refused it");
                }
                if (consumerFailure.get() != null || System.nanoTime() > deadline) {
                    return;
                }
                idle(spins);
            }
            position += size;
            offered.lazySet(seq + 1);
        }
    }

    private static void consume(EagerRing ring, Plan plan, Arena arena, AtomicLong offered,
                                AtomicReference<Throwable> producerFailure, long deadline) {
        MemorySegment expected = arena.allocate(plan.inlineLimit, Long.BYTES);
        MemorySegment copied = arena.allocate(plan.inlineLimit, Long.BYTES);
        long position = 0;
        long padded = 0;
        for (long seq = 0; seq < MESSAGES; seq++) {
            long at = ring.peek();
            long waitingSince = at < 0 ? System.nanoTime() : 0;
            for (int spins = 0; at < 0; spins++, at = ring.peek()) {
                if (producerFailure.get() != null) {
                    fail(plan.where(seq) + ": the producer failed", producerFailure.get());
                }
                long now = System.nanoTime();
                if (now - waitingSince > STALL_NANOS || now > deadline) {
                    fail(plan.where(seq) + ": the consumer stalled, no record after waiting "
                            + (now - waitingSince) / 1_000_000 + " ms; the producer had offered " + offered.get()
                            + " messages");
                }
                idle(spins);
            }
            long length = plan.length(seq);
            boolean inline = length <= plan.inlineLimit;
            long size = EagerRecordDescriptor.recordLength(inline, length);
            long recordPosition = plan.recordPosition(position, size);
            if (at != (recordPosition & plan.mask)) {
                fail(plan.where(seq) + ": record at " + at + ", expected at " + (recordPosition & plan.mask) + " ("
                        + size + " bytes after position " + position + ")");
            }
            if (recordPosition != position) {
                padded++;
            }
            position = recordPosition;
            long stamp = ring.stamp(at);
            long got = ring.length(at, stamp);
            if (EagerRing.inline(stamp) != inline || got != length) {
                fail(plan.where(seq) + ": record at " + at + " has stamp 0x" + Long.toHexString(stamp) + ", length "
                        + got + "; expected " + (inline ? "inline" : "by reference") + ", length " + length);
            }
            if ((got = ring.tag(at)) != seq) {
                fail(plan.where(seq) + ": record at " + at + " has tag " + got);
            }
            if ((got = ring.arrivalNanos(at)) != plan.arrival(seq)) {
                fail(plan.where(seq) + ": record at " + at + " has arrival " + got + ", expected " + plan.arrival(seq));
            }
            if (inline) {
                plan.payload(seq, position, length, expected);
                long mismatch;
                if ((seq & 1) == 0) {
                    mismatch = MemorySegment.mismatch(ring.payload(at, length), 0, length, expected, 0, length);
                } else {
                    ring.copyPayload(at, length, copied, 0);
                    mismatch = MemorySegment.mismatch(copied, 0, length, expected, 0, length);
                }
                if (mismatch != -1) {
                    fail(plan.where(seq) + ": record at " + at + ", payload byte " + mismatch + " of " + length
                            + " differs");
                }
            } else if ((got = ring.bufferOffset(at)) != plan.landing(seq)) {
                fail(plan.where(seq) + ": record at " + at + " names landing " + got + ", expected "
                        + plan.landing(seq));
            }
            ring.consume(inline, length);
            position += size;
        }
        long laps = position / plan.capacity;
        assertTrue(laps >= MIN_LAPS, plan.where(MESSAGES) + ": only " + laps + " laps");
        assertTrue(padded > 0, plan.where(MESSAGES) + ": no record had to wrap to the ring's start");
    }

    /** Spins briefly, then yields: the build machine may have fewer free cores than the test has threads. */
    private static void idle(int spins) {
        if (spins < 64) {
            Thread.onSpinWait();
        } else {
            Thread.yield();
        }
    }

    /** What message {@code seq} is, derived from the seed and {@code seq} alone, so both sides know it. */
    private static final class Plan {

        private final long seed;
        private final long capacity;
        private final long mask;
        private final int lapShift;
        private final long inlineLimit;
        private final long[] edges;

        Plan(long seed, long capacity, long inlineLimit) {
            this.seed = seed;
            this.capacity = capacity;
            this.mask = capacity - 1;
            this.lapShift = Long.numberOfTrailingZeros(capacity);
            this.inlineLimit = inlineLimit;
            // Empty, one line exactly and a byte more, two lines exactly and a byte more, the inline limit.
            this.edges = new long[] {0, ONE_LINE, ONE_LINE + 1, LINE + ONE_LINE, LINE + ONE_LINE + 1, inlineLimit};
        }

        private long hash(long seq) {
            return mix(seed + seq * 0x9E37_79B9_7F4A_7C15L);
        }

        long length(long seq) {
            long h = hash(seq);
            long pick = h >>> 8;
            return switch ((int) Long.remainderUnsigned(h, 10)) {
                case 0, 1, 2, 3 -> pick % (ONE_LINE + 1);                       // fits the stamp's line
                case 4 -> Long.BYTES;                                           // the one-word copy
                case 5, 6, 7 -> ONE_LINE + 1 + pick % (inlineLimit - ONE_LINE); // several lines, up to the limit
                case 8 -> edges[(int) (pick % edges.length)];
                default -> inlineLimit + 1 + pick % (1 << 20);                  // by reference
            };
        }

        /**
         * Where a record of {@code size} bytes goes when the ring's tail is at {@code position}: there, or
         * at the next lap's start when it does not fit before the ring's end.
         */
        long recordPosition(long position, long size) {
            long at = position & mask;
            return at + size > capacity ? position + capacity - at : position;
        }

        /**
         * Writes message {@code seq}'s payload, {@code length} bytes, to {@code to}: words whose high half
         * is the lap after that of ring position {@code position}, where the record goes, and whose low
         * half comes from {@code seq}, never zero; each would pass for a stamp in that next lap.
         */
        void payload(long seq, long position, long length, MemorySegment to) {
            long nextLap = (position >>> lapShift) + 1;
            long h = hash(seq);
            for (long word = 0; word * Long.BYTES < length; word++) {
                long low = (mix(h + word) | 1) & 0xFFFF_FFFFL;
                to.set(WORD, word * Long.BYTES, nextLap << 32 | low);
            }
        }

        long arrival(long seq) {
            return ~seq * 3;
        }

        long landing(long seq) {
            return mix(hash(seq));
        }

        String where(long seq) {
            return "seed " + seed + " (rerun with -DeagerRing.seed=" + seed + "), ring of " + capacity
                    + " bytes, message " + seq;
        }

        private static long mix(long z) {
            z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
            return z ^ (z >>> 31);
        }
    }
}
