package io.supernode.coherence.check;

import java.lang.invoke.MethodHandles;
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
 * <p>A table slot holds 0 (empty), {@link #CLAIMED} while its state is being written, or the state's index
 * plus 1, published with release semantics after the state's longs are written.
 */
final class StateStore {

    private static final int CHUNK_BITS = 16;
    private static final int CHUNK_STATES = 1 << CHUNK_BITS;
    private static final int CLAIMED = -1;
    private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(int[].class);
    /** A table at most three quarters full: linear probes stay short (about 2.5 slots per miss). */
    private static final int MAX_LOAD_PERCENT = 75;

    private final int words;
    private final AtomicInteger size = new AtomicInteger();
    private long[][] keys = new long[16][];
    private int[][] parents = new int[16][];
    private byte[][] steps = new byte[16][];
    private int chunks;
    private int[] table = new int[1 << 12];

    /** A store of states of {@code words} longs each. */
    StateStore(int words) {
        this.words = words;
    }

    /** States added so far. */
    int size() {
        return size.get();
    }

    /** Bytes the store holds: the states, their parents and steps, and the table. */
    long bytes() {
        return (long) chunks * CHUNK_STATES * (words * Long.BYTES + Integer.BYTES + 1) + (long) table.length * Integer.BYTES;
    }

    /**
     * Makes room for {@code more} states beyond those stored: chunks for them, and a table at most three
     * quarters full with them. Call with no {@link #add} running.
     */
    void prepare(int more) {
        long needed = (long) size.get() + more;
        if (needed > Integer.MAX_VALUE - CHUNK_STATES) {
            throw new IllegalStateException("more than " + Integer.MAX_VALUE + " states");
        }
        while ((long) chunks * CHUNK_STATES < needed) {
            if (chunks == keys.length) {
                keys = Arrays.copyOf(keys, chunks * 2);
                parents = Arrays.copyOf(parents, chunks * 2);
                steps = Arrays.copyOf(steps, chunks * 2);
            }
            keys[chunks] = new long[CHUNK_STATES * words];
            parents[chunks] = new int[CHUNK_STATES];
            steps[chunks] = new byte[CHUNK_STATES];
            chunks++;
        }
        if (needed * 100 > (long) table.length * MAX_LOAD_PERCENT) {
            int capacity = table.length;
            while (needed * 100 > (long) capacity * MAX_LOAD_PERCENT) {
                capacity *= 2;
            }
            rehash(capacity);
        }
    }

    /**
     * Adds the state in {@code key[0 .. words)}, found from state {@code parent} by its step number
     * {@code step}, unless it is stored already.
     *
     * @return its new index, or -1 when it was stored already
     */
    int add(long[] key, int parent, int step) {
        int mask = table.length - 1;
        int slot = (int) hash(key, 0) & mask;
        while (true) {
            int held = (int) SLOTS.getAcquire(table, slot);
            if (held == 0) {
                if (SLOTS.compareAndSet(table, slot, 0, CLAIMED)) {
                    int index = size.getAndIncrement();
                    long[] chunk = keys[index >>> CHUNK_BITS];
                    System.arraycopy(key, 0, chunk, (index & (CHUNK_STATES - 1)) * words, words);
                    parents[index >>> CHUNK_BITS][index & (CHUNK_STATES - 1)] = parent;
                    steps[index >>> CHUNK_BITS][index & (CHUNK_STATES - 1)] = (byte) step;
                    SLOTS.setRelease(table, slot, index + 1);
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
        System.arraycopy(keys[index >>> CHUNK_BITS], (index & (CHUNK_STATES - 1)) * words, into, 0, words);
    }

    /** The index of the state state {@code index} was found from, or -1 for the first. */
    int parent(int index) {
        return parents[index >>> CHUNK_BITS][index & (CHUNK_STATES - 1)];
    }

    /** The number of the step, among its parent's enabled steps, that led to state {@code index}. */
    int step(int index) {
        return steps[index >>> CHUNK_BITS][index & (CHUNK_STATES - 1)] & 0xFF;
    }

    private boolean equal(int index, long[] key) {
        long[] chunk = keys[index >>> CHUNK_BITS];
        int at = (index & (CHUNK_STATES - 1)) * words;
        for (int w = 0; w < words; w++) {
            if (chunk[at + w] != key[w]) {
                return false;
            }
        }
        return true;
    }

    private void rehash(int capacity) {
        int[] fresh = new int[capacity];
        int mask = capacity - 1;
        int stored = size.get();
        for (int index = 0; index < stored; index++) {
            int slot = (int) hash(keys[index >>> CHUNK_BITS], (index & (CHUNK_STATES - 1)) * words) & mask;
            while (fresh[slot] != 0) {
                slot = (slot + 1) & mask;
            }
            fresh[slot] = index + 1;
        }
        table = fresh;
    }

    /** A 64-bit mix of the state's longs (each word through MurmurHash3's finalizer). */
    private long hash(long[] from, int at) {
        long h = words;
        for (int w = 0; w < words; w++) {
            long k = from[at + w] * 0x9E3779B97F4A7C15L;
            h = (h ^ k ^ k >>> 29) * 0xBF58476D1CE4E5B9L;
            h ^= h >>> 32;
        }
        return h;
    }
}
