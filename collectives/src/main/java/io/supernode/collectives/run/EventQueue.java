package io.supernode.collectives.run;

import java.util.Arrays;

/**
 * A binary min-heap of (time, id) pairs on primitive arrays: the timing's events, earliest first, ties to the
 * lower id so that a run is deterministic. Millions of slices pass through it per collective, hence no boxing.
 */
public final class EventQueue {

    private long[] times;
    private int[] ids;
    private int size;

    /** An empty queue with room for {@code capacity} events before it grows. */
    public EventQueue(int capacity) {
        times = new long[Math.max(1, capacity)];
        ids = new int[times.length];
    }

    /** Whether no event is left. */
    public boolean isEmpty() {
        return size == 0;
    }

    /** Adds event {@code id} at {@code time}. */
    public void push(long time, int id) {
        if (size == times.length) {
            times = Arrays.copyOf(times, size * 2);
            ids = Arrays.copyOf(ids, size * 2);
        }
        int i = size++;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!before(time, id, times[parent], ids[parent])) {
                break;
            }
            times[i] = times[parent];
            ids[i] = ids[parent];
            i = parent;
        }
        times[i] = time;
        ids[i] = id;
    }

    /** The earliest event's time; call before {@link #pop}. */
    public long peekTime() {
        return times[0];
    }

    /** Removes the earliest event and returns its id. */
    public int pop() {
        int top = ids[0];
        long lastTime = times[--size];
        int lastId = ids[size];
        int i = 0;
        while (true) {
            int child = 2 * i + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size && before(times[child + 1], ids[child + 1], times[child], ids[child])) {
                child++;
            }
            if (!before(times[child], ids[child], lastTime, lastId)) {
                break;
            }
            times[i] = times[child];
            ids[i] = ids[child];
            i = child;
        }
        times[i] = lastTime;
        ids[i] = lastId;
        return top;
    }

    private static boolean before(long timeA, int idA, long timeB, int idB) {
        return timeA < timeB || timeA == timeB && idA < idB;
    }
}
