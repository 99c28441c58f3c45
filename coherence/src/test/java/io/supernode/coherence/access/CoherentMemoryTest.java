package io.supernode.coherence.access;

import io.supernode.coherence.protocol.CacheState;
import io.supernode.coherence.protocol.DirState;
import io.supernode.coherence.protocol.MessageType;
import io.supernode.coherence.protocol.Protocol;
import io.supernode.gas.Supernode;
import io.supernode.gas.SupernodeConfig;
import io.supernode.gas.address.Placement;
import io.supernode.gas.address.Region;
import io.supernode.gas.address.RegionSpec;
import io.supernode.gas.fabric.LinkProfiles;
import io.supernode.gas.fabric.RouteClass;
import io.supernode.gas.fabric.Topology;
import io.supernode.gas.fault.ConfigFault;
import io.supernode.gas.fault.MisalignedAtomicFault;
import io.supernode.gas.fault.OutOfRangeFault;
import io.supernode.gas.fault.UnsupportedAccessFault;
import io.supernode.gas.stats.HostTiming;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The coherent access mode: what hits, what the protocol does on a miss, what it costs, and what it refuses. */
class CoherentMemoryTest {

    /** 2 boards x 2 NPUs over UB with 4 MiB each. */
    static Supernode machine() {
        return Supernode.boot(new SupernodeConfig("coherent4", new Topology(2, 2, "board", "NPU", LinkProfiles.UB,
                LinkProfiles.HBM_ASCEND), 4 << 20, 4096, 16, HostTiming.BULK_ONLY, 1));
    }

    @Test
    void aSecondLoadHitsAndAStoreElsewhereInvalidatesTheReaders() {
        try (Supernode m = machine(); CoherentMemory cm = CoherentMemory.attach(m, CoherenceConfig.DEFAULT)) {
            Region r = cm.map(RegionSpec.of("shared", 8192, Placement.onNode(3)), Protocol.MSI);
            long a = r.address(256);
            cm.node(0).storeLong(a, 41);
            assertEquals(41, cm.node(1).loadLong(a));
            assertEquals(41, cm.node(1).loadLong(a));
            CoherenceStats n1 = cm.stats(1);
            assertEquals(1, n1.loadMisses());
            assertEquals(1, n1.loadHits());
            assertEquals(1, n1.downgrades(), "node 0 held the line in M and was asked for it");
            assertEquals(CacheState.S, cm.lineState(0, a));
            assertEquals(CacheState.S, cm.lineState(1, a));
            cm.node(2).storeLong(a, 42);
            CoherenceStats n2 = cm.stats(2);
            assertEquals(1, n2.storeMisses());
            assertEquals(2, n2.invalidations(), "both sharers lose their copies");
            assertEquals(2, n2.messages(MessageType.INV));
            assertEquals(2, n2.messages(MessageType.INV_ACK));
            assertEquals(CacheState.I, cm.lineState(1, a));
            assertEquals(CacheState.M, cm.lineState(2, a));
            assertEquals(DirState.M, cm.directoryState(a));
            assertEquals(42, cm.node(1).loadLong(a), "a reader after the write sees it");
            cm.node(1).storeLong(a, 43);
            assertEquals(1, cm.stats(1).upgrades(), "S to M");
        }
    }

    @Test
    void mesiLetsAPrivateLineBeWrittenWithoutAMessage() {
        try (Supernode m = machine(); CoherentMemory cm = CoherentMemory.attach(m, CoherenceConfig.DEFAULT)) {
            Region msi = cm.map(RegionSpec.of("msi", 4096, Placement.onNode(2)), Protocol.MSI);
            Region mesi = cm.map(RegionSpec.of("mesi", 4096, Placement.onNode(2)), Protocol.MESI);
            cm.node(0).loadLong(msi.baseAddress());
            cm.node(0).storeLong(msi.baseAddress(), 1);
            long msiMessages = cm.stats(0).messages();
            cm.node(0).loadLong(mesi.baseAddress());
            assertEquals(CacheState.E, cm.lineState(0, mesi.baseAddress()));
            cm.node(0).storeLong(mesi.baseAddress(), 1);
            CoherenceStats s = cm.stats(0);
            assertEquals(CacheState.M, cm.lineState(0, mesi.baseAddress()));
            assertEquals(1, s.silentUpgrades());
            assertEquals(1, s.upgrades(), "only the MSI line needed a GetM");
            assertEquals(4, msiMessages, "MSI: GetS, Data, GetM, Data");
            assertEquals(2, s.messages() - msiMessages, "MESI: GetS, Exclusive-Data");
        }
    }

    @Test
    void lruReplacementWritesDirtyLinesBackAndKeepsTheirValues() {
        CoherenceConfig tiny = new CoherenceConfig(64, 2);
        try (Supernode m = machine(); CoherentMemory cm = CoherentMemory.attach(m, tiny)) {
            Region r = cm.map(RegionSpec.of("r", 4096, Placement.onNode(1)), Protocol.MESI);
            for (int line = 0; line < 5; line++) {
                cm.node(0).storeLong(r.address(line * 64L), 100 + line);
            }
            CoherenceStats s = cm.stats(0);
            assertEquals(3, s.evictions());
            assertEquals(3, s.writebacks());
            assertEquals(3, s.messages(MessageType.PUTM));
            assertEquals(CacheState.I, cm.lineState(0, r.address(0)));
            for (int line = 0; line < 5; line++) {
                assertEquals(100 + line, cm.node(3).loadLong(r.address(line * 64L)), "line " + line);
            }
            cm.writeBackAll();
            for (int line = 0; line < 5; line++) {
                assertEquals(DirState.I, cm.directoryState(r.address(line * 64L)));
            }
        }
    }

    @Test
    void aHitCostsALocalAccessAndARemoteMissAboutAnUncachedRead() {
        try (Supernode m = machine(); CoherentMemory cm = CoherentMemory.attach(m, CoherenceConfig.DEFAULT)) {
            Region r = cm.map(RegionSpec.of("r", 4096, Placement.onNode(1)), Protocol.MSI);
            long t0 = cm.node(0).clock().nowNanos();
            cm.node(0).loadLong(r.baseAddress());
            long miss = cm.node(0).clock().nowNanos() - t0;
            cm.node(0).loadLong(r.baseAddress());
            long hit = cm.node(0).clock().nowNanos() - t0 - miss;
            assertEquals(m.fabric().readNanos(RouteClass.LOCAL, Long.BYTES), hit);
            long uncached = m.fabric().readNanos(RouteClass.SAME_GROUP, 128);
            assertTrue(Math.abs(miss - uncached) < uncached / 10, "miss " + miss + " ns vs uncached line read " + uncached);
            assertEquals(2 * CoherentMemory.HEADER_BYTES + 128, cm.stats(0).fabricBytes());
        }
    }

    @Test
    void bulkCopiesMoveRealBytesThroughTheCaches() {
        try (Supernode m = machine(); CoherentMemory cm = CoherentMemory.attach(m, CoherenceConfig.DEFAULT)) {
            Region r = cm.map(RegionSpec.of("r", 16384, Placement.interleaved(0, 1, 2, 3)), Protocol.MSI);
            MemorySegment src = Arena.ofAuto().allocate(10_000);
            for (int i = 0; i < 10_000; i++) {
                src.set(ValueLayout.JAVA_BYTE, i, (byte) (i * 7));
            }
            cm.node(1).write(src, 0, r.address(100), 10_000);
            MemorySegment dst = Arena.ofAuto().allocate(10_000);
            long t0 = cm.node(2).clock().nowNanos();
            cm.node(2).read(r.address(100), dst, 0, 10_000);
            long bulk = cm.node(2).clock().nowNanos() - t0;
            assertEquals(-1, src.mismatch(dst));
            assertEquals(cm.node(1).loadInt(r.address(5000)), cm.node(3).loadInt(r.address(5000)));
            long oneMiss = m.fabric().readNanos(RouteClass.CROSS_GROUP, 128);
            assertTrue(bulk < 10 * oneMiss, "80 line misses overlap: " + bulk + " ns vs one miss " + oneMiss);
        }
    }

    @Test
    void badAccessesAreTypedFaults() {
        try (Supernode m = machine(); CoherentMemory cm = CoherentMemory.attach(m, CoherenceConfig.DEFAULT)) {
            Region r = cm.map(RegionSpec.of("r", 4096, Placement.onNode(1)), Protocol.MSI);
            assertThrows(OutOfRangeFault.class, () -> cm.node(0).loadLong(r.address(4092)));
            assertThrows(MisalignedAtomicFault.class, () -> cm.node(0).getAndAddLong(r.address(4), 1));
            assertThrows(UnsupportedAccessFault.class, () -> m.node(0).loadLong(r.baseAddress()),
                    "the plain path refuses a coherent region");
            Region plain = m.map(RegionSpec.of("plain", 4096, Placement.onNode(2)));
            cm.node(0).storeLong(plain.baseAddress(), 5);
            assertEquals(5, m.node(3).loadLong(plain.baseAddress()), "uncached regions pass straight through");
            assertThrows(ConfigFault.class, () -> new CoherenceConfig(100, 4));
        }
    }

    @Test
    void everyTypedScalarKeepsItsValueInCoherentAndUncachedRegions() {
        try (Supernode m = machine(); CoherentMemory cm = CoherentMemory.attach(m, CoherenceConfig.DEFAULT)) {
            Region coherent = cm.map(RegionSpec.of("coherent", 4096, Placement.onNode(1)), Protocol.MESI);
            Region plain = m.map(RegionSpec.of("plain", 4096, Placement.onNode(2)));
            for (long base : new long[] {coherent.baseAddress(), plain.baseAddress()}) {
                // Offset 63 puts the long across a line boundary; each value sits beside the others, and a store
                // wider than its type would clobber the one written before it.
                cm.node(0).storeInt(base + 4, 0x7654_3210);
                cm.node(0).storeShort(base + 2, (short) -12_345);
                cm.node(0).storeByte(base + 1, (byte) -7);
                cm.node(0).storeLong(base + 63, 0x0123_4567_89AB_CDEFL);
                cm.node(0).storeFloat(base + 80, 1.5f);
                cm.node(0).storeDouble(base + 88, -2.25);
                assertEquals((byte) -7, cm.node(3).loadByte(base + 1));
                assertEquals((short) -12_345, cm.node(3).loadShort(base + 2));
                assertEquals(0x7654_3210, cm.node(3).loadInt(base + 4));
                assertEquals(0x0123_4567_89AB_CDEFL, cm.node(3).loadLong(base + 63));
                assertEquals(1.5f, cm.node(3).loadFloat(base + 80));
                assertEquals(-2.25, cm.node(3).loadDouble(base + 88));
            }
        }
    }
}
