package io.supernode.coherence.check;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The explorer's visited set and queue in one: packed states appended in the order they are found, each
 * with its parent's index and the step that led to it, and an open-addressing table of indices hashed by
 * the packed longs. A breadth-first search reads its next level as the range of indices the last level
 * appended, so the queue costs nothing beyond the set. Adding is safe from many threads; growing
 * ({@link #prepare}) is not, and happens between batches.
 *
 * <p>Everything lives off the Java heap, in memory this store allocates and frees on {@link #close()}, so
 * that hundreds of millions of states fit without a heap sized for them. A table slot holds 0 (empty),
 * {@link #CLAIMED} while its state is being written, or the state's index plus 1, published with release
 * semantics after the state's longs are written.
 */
final class StateStore implements AutoCloseable {

    private static final int CHUNK_BITS = 16;
    private static final int CHUNK_STATES = 1 << CHUNK_BITS;
    private static final int CLAIMED = -1;
    private static final VarHandle SLOT = ValueLayout.JAVA_INT.varHandle();
    /** A table at most three quarters full: linear probes stay short (about 2.5 slots per miss). */
    private static final int MAX_LOAD_PERCENT = 75;
    private static final int FIRST_TABLE_SLOTS = 1 << 12;

    private final int words;
    private final AtomicInteger size = new AtomicInteger();
    private final Arena chunkArena = Arena.ofShared();
    private MemorySegment[] keys = new MemorySegment[16];
    private MemorySegment[] parents = new MemorySegment[16];
    private MemorySegment[] steps = new MemorySegment[16];
    private int chunks;
    private Arena tableArena = Arena.ofShared();
    private MemorySegment table;
    private int slots;

    /** A store of states of {@code words} longs each. */
    StateStore(int words) {
        this.words = words;
        this.slots = FIRST_TABLE_SLOTS;
        this.table = tableArena.allocate((long) slots * Integer.BYTES);
    }

    /** States added so far. */
    int size() {
        return size.get();
    }

    /** Bytes the store holds: the states, their parents and steps, and the table. */
    long bytes() {
        return (long) chunks * CHUNK_STATES * (words * Long.BYTES + Integer.BYTES + 1) + (long) slots * Integer.BYTES;
    }

    /**
     * Makes room for {@code more} states beyond those stored: chunks for them, and a table at most three
     * quarters full with them. Call with no {@link #add} running.
     */
    void prepare(int more) {
        long needed = (long) size.get() + more;
        // The table's slots are counted in an int: at most 2^30 of them, three quarters full.
        if (needed > (1L << 30) * MAX_LOAD_PERCENT / 100) {
            throw new IllegalStateException("more than " + (1L << 30) * MAX_LOAD_PERCENT / 100 + " states: beyond what "
                    + "one store holds");
        }
        while ((long) chunks * CHUNK_STATES < needed) {
            if (chunks == keys.length) {
                keys = Arrays.copyOf(keys, chunks * 2);
                parents = Arrays.copyOf(parents, chunks * 2);
                steps = Arrays.copyOf(steps, chunks * 2);
            }
            keys[chunks] = chunkArena.allocate((long) CHUNK_STATES * words * Long.BYTES, Long.BYTES);
            parents[chunks] = chunkArena.allocate((long) CHUNK_STATES * Integer.BYTES, Integer.BYTES);
            steps[chunks] = chunkArena.allocate(CHUNK_STATES);
            chunks++;
        }
        if (needed * 100 > (long) slots * MAX_LOAD_PERCENT) {
            long capacity = slots;
            while (needed * 100 > capacity * MAX_LOAD_PERCENT) {
                capacity *= 2;
            }
            rehash(Math.toIntExact(capacity));
        }
    }

    /**
     * Adds the state in {@code key[0 .. words)}, found from state {@code parent} by its step number
     * {@code step}, unless it is stored already.
     *
     * @return its new index, or -1 when it was stored already
     */
    int add(long[] key, int parent, int step) {
        MemorySegment t = table;
        int mask = slots - 1;
        int slot = (int) hash(key) & mask;
        while (true) {
            long at = (long) slot * Integer.BYTES;
            int held = (int) SLOT.getAcquire(t, at);
            if (held == 0) {
                if (SLOT.compareAndSet(t, at, 0, CLAIMED)) {
                    int index = size.getAndIncrement();
                    int chunk = index >>> CHUNK_BITS;
                    long within = index & (CHUNK_STATES - 1);
                    MemorySegment.copy(key, 0, keys[chunk], ValueLayout.JAVA_LONG, within * words * Long.BYTES, words);
                    parents[chunk].setAtIndex(ValueLayout.JAVA_INT, within, parent);
                    steps[chunk].set(ValueLayout.JAVA_BYTE, within, (byte) step);
                    SLOT.setRelease(t, at, index + 1);
                    return index;
                }
                continue;
            }
            if (held == CLAIMED) {
                Thread.onSpinWait();
                continue;
            }
            if (equal(held - 1, key)) {
                return -1;
            }
            slot = (slot + 1) & mask;
        }
    }

    /** Copies state {@code index}'s longs into {@code into[0 .. words)}. */
    void key(int index, long[] into) {
        MemorySegment.copy(keys[index >>> CHUNK_BITS], ValueLayout.JAVA_LONG,
                (long) (index & (CHUNK_STATES - 1)) * words * Long.BYTES, into, 0, words);
    }

    /** The index of the state state {@code index} was found from, or -1 for the first. */
    int parent(int index) {
        return parents[index >>> CHUNK_BITS].getAtIndex(ValueLayout.JAVA_INT, index & (CHUNK_STATES - 1));
    }

    /** The number of the step, among its parent's enabled steps, that led to state {@code index}. */
    int step(int index) {
        return steps[index >>> CHUNK_BITS].get(ValueLayout.JAVA_BYTE, index & (CHUNK_STATES - 1)) & 0xFF;
    }

    /** Frees the states and the table. */
    @Override
    public void close() {
        tableArena.close();
        chunkArena.close();
    }

    private boolean equal(int index, long[] key) {
        MemorySegment chunk = keys[index >>> CHUNK_BITS];
        long at = (long) (index & (CHUNK_STATES - 1)) * words;
        for (int w = 0; w < words; w++) {
            if (chunk.getAtIndex(ValueLayout.JAVA_LONG, at + w) != key[w]) {
                return false;
            }
        }
        return true;
    }

    private void rehash(int capacity) {
        Arena freshArena = Arena.ofShared();
        MemorySegment fresh = freshArena.allocate((long) capacity * Integer.BYTES);
        int mask = capacity - 1;
        int stored = size.get();
        long[] key = new long[words];
        for (int index = 0; index < stored; index++) {
            key(index, key);
            int slot = (int) hash(key) & mask;
            while (fresh.getAtIndex(ValueLayout.JAVA_INT, slot) != 0) {
                slot = (slot + 1) & mask;
            }
            fresh.setAtIndex(ValueLayout.JAVA_INT, slot, index + 1);
        }
        tableArena.close();
        tableArena = freshArena;
        table = fresh;
        slots = capacity;
    }

    /** A 64-bit mix of the state's longs (each word through a MurmurHash3-style multiply and shift). */
    private long hash(long[] key) {
        long h = words;
        for (int w = 0; w < words; w++) {
            long k = key[w] * 0x9E3779B97F4A7C15L;
            h = (h ^ k ^ k >>> 29) * 0xBF58476D1CE4E5B9L;
            h ^= h >>> 32;
        }
        return h;
    }
}
