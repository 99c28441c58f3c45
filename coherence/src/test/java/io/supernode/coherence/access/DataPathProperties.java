package io.supernode.coherence.access;

import io.supernode.coherence.protocol.Protocol;
import io.supernode.gas.Supernode;
import io.supernode.gas.address.Placement;
import io.supernode.gas.address.Region;
import io.supernode.gas.address.RegionSpec;
import io.supernode.gas.fault.UnsupportedAccessFault;
import io.supernode.gas.messaging.CopyStack;
import io.supernode.gas.messaging.MessagePlane;
import io.supernode.gas.path.DataPath;
import io.supernode.gas.path.DataPaths;
import io.supernode.gas.path.PathKind;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The one way to move data means the same on every path: whatever the kind, reading a range returns the
 * bytes in memory, a word read returns its long, and a write lands its bytes (send/receive refuses
 * writes with a typed fault and changes nothing); the holder has its bytes locally, node 0 does not,
 * and a remote read moves at least its bytes over the fabric. Node 0 works on bytes held by node 3,
 * across boards.
 */
class DataPathProperties {

    private static final int REGION_BYTES = 16_384;

    /** Every node's path of {@code kind} on {@code machine}, one message plane for all; a coherent region's domain hands out the coherent ones. */
    private static DataPath[] paths(PathKind kind, Supernode machine, CoherentMemory domain) {
        if (kind == PathKind.COHERENT) {
            DataPath[] paths = new DataPath[machine.nodeCount()];
            for (int node = 0; node < paths.length; node++) {
                paths[node] = domain.path(node);
            }
            return paths;
        }
        return DataPaths.open(kind, machine, new MessagePlane(machine, CopyStack.ROCE_HOST_STAGED,
                MessagePlane.Service.INLINE));
    }

    @Property(tries = 60)
    void everyPathReadsTheBytesInMemoryAndWritesLandThem(@ForAll PathKind kind, @ForAll long seed,
            @ForAll @IntRange(min = 0, max = REGION_BYTES - 8) int offset, @ForAll @LongRange(min = 8, max = 4096) long size) {
        long length = Math.min(size, REGION_BYTES - offset);
        byte[] contents = new byte[REGION_BYTES];
        Random random = new Random(seed);
        random.nextBytes(contents);
        try (Supernode machine = CoherentMemoryTest.machine();
             CoherentMemory domain = CoherentMemory.attach(machine, CoherenceConfig.DEFAULT);
             Arena arena = Arena.ofConfined()) {
            RegionSpec spec = RegionSpec.of("held", REGION_BYTES, Placement.onNode(3));
            Region region = kind == PathKind.COHERENT ? domain.map(spec, Protocol.MESI) : machine.map(spec);
            DataPath[] paths = paths(kind, machine, domain);
            if (kind == PathKind.COHERENT) {
                domain.node(3).write(MemorySegment.ofArray(contents), 0, region.baseAddress(), REGION_BYTES);
            } else {
                machine.node(3).write(MemorySegment.ofArray(contents), 0, region.baseAddress(), REGION_BYTES);
            }
            DataPath reader = paths[0];
            DataPath holder = paths[3];
            long address = region.address(offset);
            MemorySegment held = MemorySegment.ofArray(contents).asSlice(offset, length);
            String what = kind + " seed " + seed + " offset " + offset + " length " + length;

            assertTrue(holder.servesLocally(address, length), what + ": the holder has its own bytes locally");
            assertFalse(reader.servesLocally(address, length), what + ": node 0 does not");
            long movedBefore = reader.fabricBytes() + holder.fabricBytes();
            holder.offer(0, held, 0, length);
            MemorySegment scratch = arena.allocate(length);
            byte[] expected = held.toArray(ValueLayout.JAVA_BYTE);
            assertArrayEquals(expected, reader.readable(address, length, scratch).toArray(ValueLayout.JAVA_BYTE), what);
            assertTrue(reader.fabricBytes() + holder.fabricBytes() - movedBefore >= length,
                    what + ": a remote read moves its bytes, counted at whichever end sent them");
            holder.offer(0, held, 0, length);
            MemorySegment into = arena.allocate(length + 8);
            reader.read(address, into, 8, length);
            assertArrayEquals(expected, into.asSlice(8, length).toArray(ValueLayout.JAVA_BYTE), what);
            holder.offer(0, held, 0, Long.BYTES);
            assertEquals(held.get(ValueLayout.JAVA_LONG_UNALIGNED, 0), reader.readLong(address), what);

            byte[] written = new byte[(int) length];
            random.nextBytes(written);
            byte[] update;
            if (kind == PathKind.SEND_RECV) {
                assertThrows(UnsupportedAccessFault.class,
                        () -> reader.write(MemorySegment.ofArray(written), 0, address, length), what);
                update = expected;
            } else {
                reader.write(MemorySegment.ofArray(written), 0, address, length);
                update = written;
            }
            MemorySegment back = arena.allocate(length);
            holder.offer(0, MemorySegment.ofArray(update), 0, length);
            reader.read(address, back, 0, length);
            assertArrayEquals(update, back.toArray(ValueLayout.JAVA_BYTE), what);
            if (kind != PathKind.COHERENT) {
                MemorySegment home = arena.allocate(length);
                machine.node(3).read(address, home, 0, length);
                assertArrayEquals(update, home.toArray(ValueLayout.JAVA_BYTE), what + ": the holder's memory");
            }
        }
    }

    @Property(tries = 10)
    void aSendReceiveReadNobodyOfferedIsATypedFaultOnOneThread(@ForAll @IntRange(min = 8, max = 512) int length) {
        try (Supernode machine = CoherentMemoryTest.machine(); Arena arena = Arena.ofConfined()) {
            Region region = machine.map(RegionSpec.of("held", 4096, Placement.onNode(3)));
            DataPath reader = paths(PathKind.SEND_RECV, machine, null)[0];
            MemorySegment into = arena.allocate(length);
            UnsupportedAccessFault fault = assertThrows(UnsupportedAccessFault.class,
                    () -> reader.read(region.baseAddress(), into, 0, length));
            assertEquals(0, fault.nodeId());
        }
    }
}
