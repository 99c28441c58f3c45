package io.supernode.coherence.access;

import io.supernode.coherence.protocol.DirState;
import io.supernode.coherence.protocol.Protocol;
import io.supernode.gas.Supernode;
import io.supernode.gas.address.Placement;
import io.supernode.gas.address.Region;
import io.supernode.gas.address.RegionSpec;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Random programs of loads, stores, atomics and bulk copies from several nodes over an MSI region and a MESI
 * region, with caches so small that lines are evicted all the time: every access returns what a flat byte
 * array (the memory a single-copy machine would have) returns, and once every line is written back, home
 * memory holds exactly that array and the directory is idle.
 */
class CoherentMemoryProperties {

    private static final int REGION_BYTES = 8192;

    enum Kind { LOAD_LONG, LOAD_INT, LOAD_BYTE, STORE_LONG, STORE_INT, STORE_BYTE, CAS, FETCH_ADD, READ, WRITE }

    record Op(int node, int region, Kind kind, int offset, int length, long value) {
    }

    @Provide
    Arbitrary<List<Op>> programs() {
        Arbitrary<Op> op = Combinators.combine(Arbitraries.integers().between(0, 3), Arbitraries.integers().between(0, 1),
                Arbitraries.of(Kind.class), Arbitraries.integers().between(0, REGION_BYTES - 1),
                Arbitraries.integers().between(1, 600), Arbitraries.longs())
                .as(Op::new);
        // Programs are random throughout: the edge cases that matter are the cache's shapes (one line per node, the
        // smallest line), and a program's own would multiply with them past what the tries can hold.
        return op.list().ofMinSize(1).ofMaxSize(120).withoutEdgeCases();
    }

    @Property(tries = 300)
    void everyAccessSeesWhatOneFlatMemoryWouldAndWriteBackLeavesItHome(
            @ForAll("programs") List<Op> program, @ForAll @IntRange(min = 1, max = 6) int linesPerNode,
            @ForAll("lineSizes") int lineSize) {
        try (Supernode m = CoherentMemoryTest.machine();
             CoherentMemory cm = CoherentMemory.attach(m, new CoherenceConfig(lineSize, linesPerNode))) {
            Region[] regions = {
                cm.map(RegionSpec.of("msi", REGION_BYTES, Placement.interleaved(0, 1, 2, 3)), Protocol.MSI),
                cm.map(RegionSpec.of("mesi", REGION_BYTES, Placement.interleaved(3, 1)), Protocol.MESI)};
            ByteBuffer[] flat = {flat(), flat()};
            MemorySegment buffer = Arena.ofAuto().allocate(600);
            for (int i = 0; i < program.size(); i++) {
                Op op = program.get(i);
                CoherentAccess node = cm.node(op.node());
                ByteBuffer ref = flat[op.region()];
                String where = "op " + i + " " + op;
                int size = switch (op.kind()) {
                    case LOAD_LONG, STORE_LONG, CAS, FETCH_ADD -> 8;
                    case LOAD_INT, STORE_INT -> 4;
                    case LOAD_BYTE, STORE_BYTE -> 1;
                    case READ, WRITE -> Math.min(op.length(), REGION_BYTES - op.offset());
                };
                int at = op.kind() == Kind.CAS || op.kind() == Kind.FETCH_ADD
                        ? Math.min(op.offset() & ~7, REGION_BYTES - 8) : Math.min(op.offset(), REGION_BYTES - size);
                long address = regions[op.region()].address(at);
                switch (op.kind()) {
                    case LOAD_LONG -> assertEquals(ref.getLong(at), node.loadLong(address), where);
                    case LOAD_INT -> assertEquals(ref.getInt(at), node.loadInt(address), where);
                    case LOAD_BYTE -> assertEquals(ref.get(at), node.loadByte(address), where);
                    case STORE_LONG -> {
                        node.storeLong(address, op.value());
                        ref.putLong(at, op.value());
                    }
                    case STORE_INT -> {
                        node.storeInt(address, (int) op.value());
                        ref.putInt(at, (int) op.value());
                    }
                    case STORE_BYTE -> {
                        node.storeByte(address, (byte) op.value());
                        ref.put(at, (byte) op.value());
                    }
                    case CAS -> {
                        long expected = (op.value() & 1) == 0 ? ref.getLong(at) : op.value();
                        boolean swapped = node.compareAndSetLong(address, expected, op.value() >>> 1);
                        assertEquals(ref.getLong(at) == expected, swapped, where);
                        if (swapped) {
                            ref.putLong(at, op.value() >>> 1);
                        }
                    }
                    case FETCH_ADD -> {
                        assertEquals(ref.getLong(at), node.getAndAddLong(address, op.value()), where);
                        ref.putLong(at, ref.getLong(at) + op.value());
                    }
                    case READ -> {
                        node.read(address, buffer, 0, size);
                        for (int b = 0; b < size; b++) {
                            assertEquals(ref.get(at + b), buffer.get(ValueLayout.JAVA_BYTE, b), where + " byte " + b);
                        }
                    }
                    case WRITE -> {
                        for (int b = 0; b < size; b++) {
                            byte v = (byte) (op.value() + b * 31);
                            buffer.set(ValueLayout.JAVA_BYTE, b, v);
                            ref.put(at + b, v);
                        }
                        node.write(buffer, 0, address, size);
                    }
                }
            }
            cm.writeBackAll();
            for (int r = 0; r < 2; r++) {
                for (long line = 0; line < REGION_BYTES; line += lineSize) {
                    assertEquals(DirState.I, cm.directoryState(regions[r].address(line)), "directory idle after write-back");
                }
                byte[] home = new byte[REGION_BYTES];
                for (int b = 0; b < REGION_BYTES; b++) {
                    var t = m.addressSpace().translate(regions[r].address(b));
                    home[b] = m.addressSpace().nodeSegment(t.node()).get(ValueLayout.JAVA_BYTE, t.physicalOffset());
                }
                assertArrayEquals(flat[r].array(), home, "home memory of " + regions[r]);
            }
        }
    }

    @Provide
    Arbitrary<Integer> lineSizes() {
        return Arbitraries.of(16, 64, 128);
    }

    private static ByteBuffer flat() {
        return ByteBuffer.allocate(REGION_BYTES).order(ByteOrder.nativeOrder());
    }
}
