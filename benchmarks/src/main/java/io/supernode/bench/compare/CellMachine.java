package io.supernode.bench.compare;

import io.supernode.gas.path.FabricPair;
import io.supernode.gas.Supernode;
import io.supernode.gas.SupernodeConfig;
import io.supernode.gas.address.Placement;
import io.supernode.gas.address.Region;
import io.supernode.gas.address.RegionSpec;
import io.supernode.gas.fault.ConfigFault;
import io.supernode.gas.stats.HostTiming;

import java.lang.foreign.MemorySegment;
import java.util.Random;

/**
 * The machine one cell of the comparison runs on, as {@link Sweep} and {@link OpProbe} both set it up:
 * {@code sizeBytes} seeded bytes in a region on the machine's last node (across the top switch tier from
 * node 0, which fetches them).
 *
 * @param machine the booted machine; closing it is the caller's
 * @param holder  the node holding the bytes
 * @param address the bytes' global address
 * @param held    the same bytes in the holder's memory, which a holder's send copies from directly: its NIC's
 *                fetch is already part of the message cost
 */
record CellMachine(Supernode machine, int holder, long address, MemorySegment held) {

    /** Boots {@code pair}'s machine shape with memory for {@code sizeBytes} and writes the seeded bytes. */
    static CellMachine boot(FabricPair pair, long sizeBytes, HostTiming timing, long seed) {
        if (sizeBytes < 8) {
            throw new ConfigFault("comparison sizes start at 8 bytes, got " + sizeBytes);
        }
        int holder = pair.shape().nodeCount() - 1;
        long memory = Math.max(64L << 20, 16 * ((sizeBytes + 65_535) & -65_536L));
        Supernode machine = Supernode.boot(new SupernodeConfig("sweep", pair.shape(), memory, 65_536, 512, timing, seed));
        Region data = machine.map(RegionSpec.of("data", sizeBytes, Placement.onNode(holder)));
        byte[] fill = new byte[(int) sizeBytes];
        new Random(seed).nextBytes(fill);
        machine.node(holder).write(MemorySegment.ofArray(fill), 0, data.baseAddress(), sizeBytes);
        MemorySegment held = machine.memory(holder).segment()
                .asSlice(machine.addressSpace().translate(data.baseAddress()).physicalOffset(), sizeBytes);
        return new CellMachine(machine, holder, data.baseAddress(), held);
    }
}
