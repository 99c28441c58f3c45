package io.supernode.gas.messaging;

import java.lang.foreign.MemorySegment;

/**
 * One node's staging: its registered bounce buffers (a {@link BufferPool} carved out of its own memory)
 * and the copies its {@link CopyStack} makes through them, host staging and a kernel copy on the way out
 * and the same two in reverse on the way in. A stack with neither copies nothing here but the landing of
 * a payload that does not travel inline.
 *
 * <p>Thread-safe as its pool is: a sender lands bytes in a receiver's buffer, the receiver gives it back.
 */
final class Staging {

    /** This node's whole memory, where its bounce buffers live. */
    private final MemorySegment memory;
    private final BufferPool pool;
    private final boolean hostStaging;
    private final boolean kernelCopy;

    Staging(MessagePlane plane, int self) {
        this.memory = plane.machine().memory(self).segment();
        this.pool = new BufferPool(plane.machine().memory(self));
        this.hostStaging = plane.stack().hostStaging();
        this.kernelCopy = plane.stack().kernelCopy();
    }

    /** Whether the stack copies nothing between device memory and the wire (no host staging, no kernel copy). */
    boolean unstaged() {
        return !hostStaging && !kernelCopy;
    }

    /** Copies outgoing bytes through host staging and the kernel, as the stack does; returns what goes on the wire. */
    MemorySegment stageOut(MemorySegment bytes) {
        MemorySegment current = bytes;
        if (hostStaging) {
            current = copyToPool(current);
        }
        if (kernelCopy) {
            MemorySegment kernel = copyToPool(current);
            releaseStaged(current, bytes);
            current = kernel;
        }
        return current;
    }

    /** Copies a landed payload through the kernel and host staging into its destination, as the stack does. */
    void stageIn(MemorySegment landed, MemorySegment destination) {
        MemorySegment current = landed;
        if (kernelCopy && hostStaging) {
            current = copyToPool(landed);
        }
        MemorySegment.copy(current, 0, destination, 0, destination.byteSize());
        if (current != landed) {
            pool.give(current);
        }
    }

    /** Stages a payload that landed in one of this node's bounce buffers into its destination, then frees the buffer. */
    void deliver(MemorySegment landed, MemorySegment destination) {
        stageIn(landed, destination);
        pool.give(landed);
    }

    /**
     * Stages {@code bytes} out through this node's copies and lands what goes on the wire in a bounce
     * buffer of {@code to}'s node, which is returned; this node's staging buffers go back to its pool.
     */
    MemorySegment landIn(Staging to, MemorySegment bytes) {
        MemorySegment staged = stageOut(bytes);
        MemorySegment landing = to.copyToPool(staged);
        releaseStaged(staged, bytes);
        return landing;
    }

    /** Where {@code buffer}, one of this node's bounce buffers, starts in the node's memory: what a ring record names. */
    long offsetOf(MemorySegment buffer) {
        return buffer.address() - memory.address();
    }

    /** A buffer from this node's pool holding a copy of {@code bytes}. */
    MemorySegment copyToPool(MemorySegment bytes) {
        MemorySegment buffer = pool.take(bytes.byteSize());
        MemorySegment.copy(bytes, 0, buffer, 0, bytes.byteSize());
        return buffer;
    }

    /** Returns a staging buffer to the pool; {@code original} (the caller's own bytes) never goes there. */
    void releaseStaged(MemorySegment staged, MemorySegment original) {
        if (staged != original) {
            pool.give(staged);
        }
    }
}
