package io.supernode.gas.messaging;

import io.supernode.gas.memory.NodeMemory;
import org.jctools.queues.MpmcArrayQueue;

import java.lang.foreign.MemorySegment;

/**
 * A node's registered bounce buffers: carved out of the node's own memory on first need, by power-of-two
 * size class, and recycled. Thread-safe: a sender fills a receiver's buffer, the receiver returns it.
 */
final class BufferPool {

    private static final int MIN_SHIFT = 12;
    private static final int CLASSES = 40 - MIN_SHIFT;
    private static final int KEPT_PER_CLASS = 64;

    private final NodeMemory memory;
    private final MpmcArrayQueue<MemorySegment>[] free;

    // A generic array can only be made raw.
    @SuppressWarnings({"unchecked", "rawtypes"})
    BufferPool(NodeMemory memory) {
        this.memory = memory;
        this.free = new MpmcArrayQueue[CLASSES];
        for (int c = 0; c < CLASSES; c++) {
            free[c] = new MpmcArrayQueue<>(KEPT_PER_CLASS);
        }
    }

    private static int sizeClass(long bytes) {
        int shift = Math.max(MIN_SHIFT, 64 - Long.numberOfLeadingZeros(Math.max(1, bytes) - 1));
        return shift - MIN_SHIFT;
    }

    /** A buffer of at least {@code bytes}, sliced to exactly {@code bytes}. */
    MemorySegment take(long bytes) {
        int c = sizeClass(bytes);
        MemorySegment buffer = free[c].relaxedPoll();
        if (buffer == null) {
            long size = 1L << (c + MIN_SHIFT);
            buffer = memory.segment().asSlice(memory.allocator().allocate(size, 4096), size);
        }
        return buffer.asSlice(0, bytes);
    }

    /** Returns a buffer from {@link #take}; one the pool cannot keep goes back to the node's allocator. */
    void give(MemorySegment buffer) {
        int c = sizeClass(buffer.byteSize());
        long size = 1L << (c + MIN_SHIFT);
        long offset = buffer.address() - memory.segment().address();
        if (!free[c].relaxedOffer(memory.segment().asSlice(offset, size))) {
            memory.allocator().free(offset, size);
        }
    }
}
