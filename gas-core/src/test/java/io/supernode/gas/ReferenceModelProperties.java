package io.supernode.gas;

import io.supernode.gas.access.NodeAccess;
import io.supernode.gas.address.Placement;
import io.supernode.gas.address.Region;
import io.supernode.gas.address.RegionSpec;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Any sequence of stores, bulk copies, atomics and page migrations through the global address space
 * leaves exactly the bytes that a plain byte array per region predicts, and every load returns what
 * the array holds, for every placement. jqwik prints the seed of a failing run.
 */
class ReferenceModelProperties {

    private static final int NODES = 4;
    private static final int PAGE = 4096;

    /** One step of a workload; raw numbers are folded into the region when the step runs. */
    sealed interface Step permits Store, Load, BulkWrite, BulkRead, Atomic, Migrate {
    }

    record Store(int node, int size, int rawOffset, long value) implements Step {
    }

    record Load(int node, int size, int rawOffset) implements Step {
    }

    record BulkWrite(int node, int rawOffset, int rawLength, long seed) implements Step {
    }

    record BulkRead(int node, int rawOffset, int rawLength) implements Step {
    }

    record Atomic(int node, int kind, boolean wide, int rawOffset, long operand) implements Step {
    }

    record Migrate(int rawPage, int toNode) implements Step {
    }

    @Property(tries = 300)
    void addressSpaceMatchesByteArrayModel(@ForAll("placements") int placementKind,
                                           @ForAll @IntRange(min = 1, max = 5 * PAGE + 123) int sizeBytes,
                                           @ForAll @Size(min = 10, max = 80) List<@From("steps") Step> steps) {
        try (Supernode machine = Supernode.boot(TestMachines.fourNodes(1 << 20))) {
            int pages = (sizeBytes + PAGE - 1) / PAGE;
            Placement placement = switch (placementKind) {
                case 0 -> Placement.onNode(2);
                case 1 -> Placement.interleaved(3, 0, 1);
                default -> {
                    int[] nodeOfPage = new int[pages];
                    for (int p = 0; p < pages; p++) {
                        nodeOfPage[p] = (p * 7 + 1) % NODES;
                    }
                    yield Placement.explicit(nodeOfPage);
                }
            };
            Region region = machine.map(RegionSpec.of("model", sizeBytes, placement));
            byte[] model = new byte[sizeBytes];
            for (Step step : steps) {
                apply(machine, region, model, step);
            }
            MemorySegment all = Arena.ofAuto().allocate(sizeBytes);
            machine.node(0).read(region.baseAddress(), all, 0, sizeBytes);
            assertArrayEquals(model, all.toArray(ValueLayout.JAVA_BYTE), "final contents of " + region);
        }
    }

    private static void apply(Supernode machine, Region region, byte[] model, Step step) {
        int size = (int) region.sizeBytes();
        ByteBuffer ref = ByteBuffer.wrap(model).order(ByteOrder.nativeOrder());
        switch (step) {
            case Store s when s.size() <= size -> {
                int offset = s.rawOffset() % (size - s.size() + 1);
                NodeAccess a = machine.node(s.node());
                long at = region.address(offset);
                switch (s.size()) {
                    case 1 -> { a.storeByte(at, (byte) s.value()); ref.put(offset, (byte) s.value()); }
                    case 2 -> { a.storeShort(at, (short) s.value()); ref.putShort(offset, (short) s.value()); }
                    case 4 -> { a.storeFloat(at, Float.intBitsToFloat((int) s.value())); ref.putInt(offset, (int) s.value()); }
                    default -> { a.storeLong(at, s.value()); ref.putLong(offset, s.value()); }
                }
            }
            case Load l when l.size() <= size -> {
                int offset = l.rawOffset() % (size - l.size() + 1);
                NodeAccess a = machine.node(l.node());
                long at = region.address(offset);
                switch (l.size()) {
                    case 1 -> assertEquals(ref.get(offset), a.loadByte(at));
                    case 2 -> assertEquals(ref.getShort(offset), a.loadShort(at));
                    case 4 -> assertEquals(ref.getInt(offset), a.loadInt(at));
                    default -> assertEquals(Double.doubleToRawLongBits(ref.getDouble(offset)),
                            Double.doubleToRawLongBits(a.loadDouble(at)));
                }
            }
            case BulkWrite w -> {
                int offset = w.rawOffset() % size;
                int length = w.rawLength() % (size - offset + 1);
                byte[] data = new byte[length];
                new Random(w.seed()).nextBytes(data);
                machine.node(w.node()).write(MemorySegment.ofArray(data), 0, region.address(offset), length);
                System.arraycopy(data, 0, model, offset, length);
            }
            case BulkRead r -> {
                int offset = r.rawOffset() % size;
                int length = r.rawLength() % (size - offset + 1);
                byte[] got = new byte[length];
                machine.node(r.node()).read(region.address(offset), MemorySegment.ofArray(got), 0, length);
                byte[] want = new byte[length];
                System.arraycopy(model, offset, want, 0, length);
                assertArrayEquals(want, got, "bulk read of " + length + " at " + offset);
            }
            case Atomic t -> applyAtomic(machine.node(t.node()), region, ref, t);
            case Migrate m -> {
                int page = m.rawPage() % region.pageCount();
                machine.addressSpace().migratePage(region.address((long) page * region.pageSizeBytes()), m.toNode());
                assertEquals(m.toNode(), region.nodeOfPage(page));
            }
            default -> {
                // A scalar wider than the whole region: nothing to do.
            }
        }
    }

    private static void applyAtomic(NodeAccess a, Region region, ByteBuffer ref, Atomic t) {
        int width = t.wide() ? 8 : 4;
        int slots = (int) (region.sizeBytes() / width);
        if (slots == 0) {
            return;
        }
        int offset = (t.rawOffset() % slots) * width;
        long at = region.address(offset);
        if (t.wide()) {
            long before = ref.getLong(offset);
            switch (t.kind()) {
                case 0 -> assertEquals(before, a.getAndAddLong(at, t.operand()));
                case 1 -> assertEquals(before, a.getAndSetLong(at, t.operand()));
                default -> assertEquals(true, a.compareAndSetLong(at, before, t.operand()));
            }
            ref.putLong(offset, t.kind() == 0 ? before + t.operand() : t.operand());
        } else {
            int before = ref.getInt(offset);
            int operand = (int) t.operand();
            switch (t.kind()) {
                case 0 -> assertEquals(before, a.getAndAddInt(at, operand));
                case 1 -> assertEquals(before, a.getAndSetInt(at, operand));
                default -> {
                    assertEquals(false, a.compareAndSetInt(at, before + 1, operand));
                    assertEquals(true, a.compareAndSetInt(at, before, operand));
                }
            }
            ref.putInt(offset, t.kind() == 0 ? before + operand : operand);
        }
    }

    @Provide
    Arbitrary<Integer> placements() {
        return Arbitraries.integers().between(0, 2);
    }

    @Provide
    Arbitrary<Step> steps() {
        Arbitrary<Integer> node = Arbitraries.integers().between(0, NODES - 1);
        Arbitrary<Integer> uniform = Arbitraries.integers().between(0, Integer.MAX_VALUE);
        // Half the offsets land just before a page boundary, where a scalar straddles two pages.
        Arbitrary<Integer> nearBoundary = Combinators.combine(Arbitraries.integers().between(1, 5),
                Arbitraries.integers().between(-8, 1)).as((page, delta) -> page * PAGE + delta);
        Arbitrary<Integer> raw = Arbitraries.frequencyOf(Tuple.of(1, uniform), Tuple.of(1, nearBoundary));
        Arbitrary<Integer> scalar = Arbitraries.of(1, 2, 4, 8);
        Arbitrary<Long> value = Arbitraries.longs();
        return Arbitraries.frequencyOf(
                Tuple.of(4, Combinators.combine(node, scalar, raw, value).as(Store::new)),
                Tuple.of(3, Combinators.combine(node, scalar, raw).as(Load::new)),
                Tuple.of(2, Combinators.combine(node, raw, raw, value).as(BulkWrite::new)),
                Tuple.of(2, Combinators.combine(node, raw, raw).as(BulkRead::new)),
                Tuple.of(2, Combinators.combine(node, Arbitraries.integers().between(0, 2),
                        Arbitraries.of(true, false), raw, value).as(Atomic::new)),
                Tuple.of(1, Combinators.combine(raw, node).as(Migrate::new)));
    }
}
