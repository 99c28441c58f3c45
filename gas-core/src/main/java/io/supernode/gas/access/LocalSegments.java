package io.supernode.gas.access;

import io.supernode.gas.fault.OutOfRangeFault;
import io.supernode.gas.fault.SupernodeFault;

import java.lang.foreign.MemorySegment;

/**
 * The check every path runs on the caller's own side of a bulk copy before any byte moves: the local range
 * fits the segment and, when the copy lands there, the segment is writable. A path that skipped it would
 * fail halfway, with part of the copy done and FFM's raw exception instead of a fault.
 */
public final class LocalSegments {

    private LocalSegments() {
    }

    /**
     * Faults unless {@code local}'s arena is open, {@code length} bytes at {@code localOffset} fit it and,
     * when {@code intoLocal} (a read: the bytes land in {@code local}), {@code local} is writable.
     *
     * @param node    the node making the copy, named in the fault
     * @param what    the operation, as the fault names it ("read", "get", ...)
     * @param address the global address of the copy's other side, carried by the fault
     * @throws OutOfRangeFault when the range does not fit or the destination is read-only
     */
    public static void check(int node, String what, MemorySegment local, long localOffset, long length,
                             boolean intoLocal, long address) {
        if (!local.scope().isAlive()) {
            throw new OutOfRangeFault("node " + node + " bulk " + what + ": the local segment's arena is closed", address,
                    SupernodeFault.NONE, node);
        }
        if (length < 0 || localOffset < 0 || localOffset > local.byteSize() - length) {
            throw AccessFaults.localRange(node, what, length, localOffset, local.byteSize(), address);
        }
        if (intoLocal && local.isReadOnly()) {
            throw AccessFaults.readOnlyDestination(node, what, address);
        }
    }
}
