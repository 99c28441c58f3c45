package io.supernode.gas.path;

import io.supernode.gas.access.ScalarAccess;
import io.supernode.gas.address.GlobalAddressSpace;
import io.supernode.gas.address.Translation;
import io.supernode.gas.fabric.FabricModel;
import io.supernode.gas.fabric.RouteClass;
import io.supernode.gas.fault.MisalignedAtomicFault;
import io.supernode.gas.fault.SupernodeFault;
import io.supernode.gas.fault.UnsupportedAccessFault;
import io.supernode.gas.time.VirtualClock;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * The layout of a signal, the word a {@link DataPath#putSignal} sets after its bytes have landed and a
 * {@link DataPath#waitSignal} waits on (NVSHMEM's put-with-signal and signal-wait-until). A signal is
 * {@link #BYTES} bytes, 8-byte aligned, in a plain (not coherent) region of the waiting node's memory:
 * <pre>
 *   0               8               16
 *   +---------------+---------------+
 *   |     value     | arrival nanos |
 *   +---------------+---------------+
 * </pre>
 * The putter writes the modeled time the signal lands (arrival nanos) before the value, with a release
 * fence between, so a waiter that sees the value reads the arrival time, and the bytes put before it, as
 * they were written. Waiting costs no modeled time of its own: the waiter's clock moves to the arrival.
 */
public final class SignalSlot {

    /** Offset of the value a waiter compares. */
    public static final int VALUE_OFFSET = 0;
    /** Offset of the modeled time at which the value lands. */
    public static final int ARRIVAL_NANOS_OFFSET = 8;
    /** Bytes of one signal. */
    public static final int BYTES = 16;

    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();

    private SignalSlot() {
    }

    /** The signal's value as its home memory holds it now, read with acquire semantics and no modeled cost. */
    public static long peekValue(GlobalAddressSpace space, long signalAddress) {
        return peek(space, signalAddress + VALUE_OFFSET);
    }

    /** The signal's arrival time as its home memory holds it now (read after {@link #peekValue}). */
    public static long peekArrivalNanos(GlobalAddressSpace space, long signalAddress) {
        return peek(space, signalAddress + ARRIVAL_NANOS_OFFSET);
    }

    /**
     * Sets the signal at {@code signalAddress} in {@code destination}'s memory by a store through
     * {@code access}, after the bytes it announces: it lands one 16-byte write over the route later.
     */
    public static void post(ScalarAccess access, FabricModel fabric, int destination, long signalAddress, long value) {
        RouteClass route = fabric.topology().routeClass(access.nodeId(), destination);
        set(access, signalAddress, value, access.clock().nowNanos() + fabric.writeNanos(route, BYTES));
    }

    /**
     * Sets the signal at {@code signalAddress} through {@code access}: its arrival time, a release fence,
     * then its value, so whoever sees the value sees the rest.
     */
    public static void set(ScalarAccess access, long signalAddress, long value, long arrivalNanos) {
        access.storeLong(signalAddress + ARRIVAL_NANOS_OFFSET, arrivalNanos);
        VarHandle.releaseFence();
        access.storeLong(signalAddress + VALUE_OFFSET, value);
    }

    /**
     * Waits, through {@code waits}, until the signal at {@code signalAddress} in {@code node}'s memory is at
     * least {@code value}; then moves {@code clock} to the signal's arrival.
     *
     * @throws UnsupportedAccessFault when the signal is not in {@code node}'s memory
     * @throws MisalignedAtomicFault  when it is not 8-byte aligned
     */
    public static void await(GlobalAddressSpace space, VirtualClock clock, Waits waits, int node, long signalAddress,
                             long value) {
        if ((signalAddress & (Long.BYTES - 1)) != 0) {
            throw new MisalignedAtomicFault("node " + node + " waits on a signal at " + SupernodeFault.hex(signalAddress)
                    + ", which is not 8-byte aligned", signalAddress, SupernodeFault.NONE, node);
        }
        if (space.nodeOf(signalAddress) != node) {
            throw new UnsupportedAccessFault("node " + node + " waits on a signal at " + SupernodeFault.hex(signalAddress)
                    + " in node " + space.nodeOf(signalAddress) + "'s memory: signals live in the waiter's own",
                    signalAddress, SupernodeFault.NONE, node);
        }
        while (peekValue(space, signalAddress) < value) {
            waits.awaitSignal(node, signalAddress, value);
        }
        clock.advanceTo(peekArrivalNanos(space, signalAddress));
    }

    private static long peek(GlobalAddressSpace space, long address) {
        Translation home = space.translate(address);
        MemorySegment memory = space.nodeSegment(home.node());
        return (long) LONG.getAcquire(memory, home.physicalOffset());
    }
}
