package io.supernode.coherence.access;

import io.supernode.coherence.protocol.CoreOp;
import io.supernode.coherence.protocol.DirLine;
import io.supernode.coherence.protocol.Message;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Everything the protocol keeps for one line outside the caches: its directory entry, the messages in flight
 * for it, and the requests waiting on them. One line, one lock: whoever holds it delivers the line's messages,
 * for any node's request, so transactions of different nodes on the same line overlap in flight and race as
 * the protocol's transient states expect, while different lines never wait for each other. The lock is fair,
 * so that a thread waiting to issue a request gets in between the deliveries of a transaction already in
 * flight instead of after it.
 */
final class LineRecord {

    /** What a request does to the line's bytes in the cache slot once it holds the line. */
    @FunctionalInterface
    interface SlotAction {
        /** Reads or writes the line's bytes at {@code offset} in {@code data}, the requesting node's cache. */
        void perform(MemorySegment data, long offset);
    }

    /** A message in flight: who caused it (charged with it), its line bytes if it carries data, when it arrives. */
    record Envelope(Message message, int requester, MemorySegment payload, long arriveNanos) {
    }

    /**
     * A node's outstanding request on this line. Its action runs on the requesting thread (its buffers may be
     * confined to it): when another thread delivers the message that completes it, the request is done but not
     * yet performed, and messages to the requesting cache wait until its thread has performed it, so the line
     * cannot be taken away in between.
     */
    static final class Request {
        final int node;
        final CoreOp op;
        final SlotAction action;
        final Thread thread = Thread.currentThread();
        /** The latest arrival of a message delivered to the requester for it: when it completes, its completion time. */
        long latestArrivalNanos;
        boolean done;
        boolean performed;

        Request(int node, CoreOp op, SlotAction action, long startNanos) {
            this.node = node;
            this.op = op;
            this.action = action;
            this.latestArrivalNanos = startNanos;
        }
    }

    final long line;
    final ReentrantLock lock = new ReentrantLock(true);
    final List<Envelope> inFlight = new ArrayList<>(4);
    final List<Request> pending = new ArrayList<>(2);
    /** Picks which deliverable message goes next: seeded by the line, so a run on one thread repeats exactly. */
    final SplittableRandom order;
    DirLine directory;
    /** The line's last written bytes, kept in checking mode to test every load and store against. */
    byte[] shadow;
    /** Removed from the domain's table: a thread that finds it so looks the line up again. */
    boolean retired;
    /**
     * Which cache slot each node holds the line in, for deliveries: a node registers its slot under this lock
     * before it issues a request, and drops it under this lock when it frees the slot. A node missing here
     * holds the line invalid (its slot, if any, is in I).
     */
    private int[] slotNodes = new int[2];
    private int[] slotIndex = new int[2];
    private int slotCount;

    LineRecord(long line, DirLine idle, long seed) {
        this.line = line;
        this.directory = idle;
        this.order = new SplittableRandom(seed ^ line);
    }

    /** Whether a request is done but waits for its own thread to perform it. */
    boolean awaitsPerform() {
        for (Request r : pending) {
            if (r.done && !r.performed) {
                return true;
            }
        }
        return false;
    }

    /** The slot {@code node} holds the line in, or -1. */
    int slotOf(int node) {
        for (int i = 0; i < slotCount; i++) {
            if (slotNodes[i] == node) {
                return slotIndex[i];
            }
        }
        return -1;
    }

    /** Registers {@code node}'s slot for the line. */
    void holds(int node, int slot) {
        for (int i = 0; i < slotCount; i++) {
            if (slotNodes[i] == node) {
                slotIndex[i] = slot;
                return;
            }
        }
        if (slotCount == slotNodes.length) {
            slotNodes = Arrays.copyOf(slotNodes, slotCount * 2);
            slotIndex = Arrays.copyOf(slotIndex, slotCount * 2);
        }
        slotNodes[slotCount] = node;
        slotIndex[slotCount++] = slot;
    }

    /** {@code node} no longer has a slot for the line. */
    void drops(int node) {
        for (int i = 0; i < slotCount; i++) {
            if (slotNodes[i] == node) {
                slotNodes[i] = slotNodes[--slotCount];
                slotIndex[i] = slotIndex[slotCount];
                return;
            }
        }
    }

    /** {@code node}'s outstanding request, or null. */
    Request pendingOf(int node) {
        for (Request r : pending) {
            if (r.node == node) {
                return r;
            }
        }
        return null;
    }
}
