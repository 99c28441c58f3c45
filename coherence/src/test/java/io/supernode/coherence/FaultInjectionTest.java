package io.supernode.coherence;

import io.supernode.coherence.access.CoherenceConfig;
import io.supernode.coherence.access.CoherentAccess;
import io.supernode.coherence.access.CoherentMemory;
import io.supernode.coherence.protocol.Protocol;
import io.supernode.gas.Supernode;
import io.supernode.gas.SupernodeConfig;
import io.supernode.gas.access.NodeAccess;
import io.supernode.gas.address.GlobalAddress;
import io.supernode.gas.address.Permissions;
import io.supernode.gas.address.Placement;
import io.supernode.gas.address.Region;
import io.supernode.gas.address.RegionSpec;
import io.supernode.gas.fabric.LinkProfiles;
import io.supernode.gas.fabric.Topology;
import io.supernode.gas.fault.SupernodeFault;
import io.supernode.gas.messaging.CopyStack;
import io.supernode.gas.messaging.Endpoint;
import io.supernode.gas.messaging.MessagePlane;
import io.supernode.gas.path.DataPath;
import io.supernode.gas.path.DataPaths;
import io.supernode.gas.path.PathKind;
import io.supernode.gas.path.Waits;
import io.supernode.gas.stats.HostTiming;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Seeded fault injection over the public entry points of the machine, the unified path, the copy path,
 * the path abstraction and the coherent mode: every generated call is bad in one way (an address, a
 * length, a node id, a local segment, a permission, a closed node), and each must raise one of the
 * project's typed faults, leave every byte of every node's memory as it was, and give back whatever it
 * took from the nodes' allocators.
 *
 * <p>{@value #DEFAULT_CALLS} calls by default; {@code -Dsupernode.faults.calls=1000000} runs the long
 * profile and {@code -Dsupernode.faults.seed=N} replays a run. A failure names the seed, the call's index
 * and its case.
 */
class FaultInjectionTest {

    private static final int DEFAULT_CALLS = 10_000;
    /** Calls per machine: a fresh machine now and then keeps one call's lasting effects (clocks) from piling up. */
    private static final int CALLS_PER_MACHINE = 2_500;
    private static final int NODES = 4;
    private static final int CLOSED_NODE = 3;
    private static final long MEMORY_BYTES = 1 << 20;

    /** One kind of bad call: a name and what it does on the fixture. */
    private record Case(String name, Consumer<Call> body) {
    }

    /** What a generated call may use: the machine, its regions and paths, and the seeded random source. */
    private record Call(Fixture f, SplittableRandom random) {
        int openNode() {
            return random.nextInt(CLOSED_NODE);
        }

        long length() {
            return 1 + random.nextInt(8192);
        }

        /** A node id no machine of {@value #NODES} nodes has. */
        int missingNode() {
            return switch (random.nextInt(3)) {
                case 0 -> -1 - random.nextInt(1000);
                case 1 -> NODES + random.nextInt(1000);
                default -> Integer.MAX_VALUE - random.nextInt(10);
            };
        }

        /** A sender id a receive cannot name: a missing node, but never -1, which is {@link Endpoint#ANY_SOURCE}. */
        int missingSource() {
            int node = missingNode();
            return node == Endpoint.ANY_SOURCE ? -2 : node;
        }

        /** An address past the end of {@code r}, or in no region at all. */
        long outside(Region r) {
            return random.nextBoolean() ? r.address(r.sizeBytes() + random.nextInt(4096))
                    : GlobalAddress.of(1000 + random.nextInt(60_000), random.nextInt(1 << 20));
        }

        /** A path of any kind of an open node. */
        DataPath path() {
            return f.paths.get(random.nextInt(f.paths.size()));
        }

        /** A local segment with {@code length} bytes at a returned offset that do not fit it. */
        MemorySegment tooSmall(long length) {
            return f.scratch.asSlice(0, Math.max(0, length - 1 - random.nextInt((int) Math.min(length, 64))));
        }
    }

    /** The machine under test: regions of each kind, a closed node, paths of every kind, a coherence domain. */
    private static final class Fixture implements AutoCloseable {
        final Supernode machine;
        final Arena arena = Arena.ofConfined();
        final MemorySegment scratch = arena.allocate(1 << 16);
        final MemorySegment readOnly = arena.allocate(1 << 16).asReadOnly();
        final Region shared;
        final Region readOnlyRegion;
        final Region ownerOnly;
        final Region writeOnly;
        final Region onClosedNode;
        final Region coherent;
        final Region unmapped;
        final MessagePlane plane;
        final CoherentMemory domain;
        final List<DataPath> paths = new ArrayList<>();

        Fixture(long seed) {
            machine = Supernode.boot(new SupernodeConfig("faults", new Topology(2, 2, "board", "NPU", LinkProfiles.UB,
                    LinkProfiles.HBM_ASCEND), MEMORY_BYTES, 4096, 16, HostTiming.BULK_ONLY, seed));
            shared = machine.map(RegionSpec.of("shared", 3 * 4096 + 100, Placement.interleaved(0, 1, 2)));
            readOnlyRegion = machine.map(RegionSpec.of("ro", 4096, Placement.onNode(1)));
            ownerOnly = machine.map(RegionSpec.of("owned", 4096, Placement.onNode(2))
                    .withPermissions(Permissions.ownerOnly(2)));
            writeOnly = machine.map(RegionSpec.of("wo", 4096, Placement.onNode(1))
                    .withPermissions(Permissions.grants(new int[] {1}, new int[] {0, 1, 2})));
            onClosedNode = machine.map(RegionSpec.of("doomed", 8192, Placement.explicit(1, CLOSED_NODE)));
            unmapped = machine.map(RegionSpec.of("gone", 4096, Placement.onNode(0)));
            SplittableRandom fill = new SplittableRandom(seed);
            for (Region r : List.of(shared, readOnlyRegion, writeOnly, onClosedNode)) {
                for (long at = 0; at + 8 <= r.sizeBytes(); at += 8) {
                    machine.node(1).storeLong(r.address(at), fill.nextLong());
                }
            }
            machine.node(2).storeLong(ownerOnly.address(0), fill.nextLong());
            machine.addressSpace().protect(readOnlyRegion, Permissions.readOnly());
            machine.unmap(unmapped);
            plane = new MessagePlane(machine, CopyStack.TCP_HOST_STAGED, MessagePlane.Service.INLINE);
            domain = CoherentMemory.attach(machine, new CoherenceConfig(128, 64));
            coherent = domain.map(RegionSpec.of("coherent", 8192, Placement.interleaved(0, 2)), Protocol.MESI);
            for (int node = 0; node < 3; node++) {
                domain.node(node).storeLong(coherent.address(64L * node), fill.nextLong());
                for (PathKind kind : PathKind.values()) {
                    paths.add(kind == PathKind.COHERENT ? domain.path(node)
                            : DataPaths.open(kind, machine, plane, node, Waits.SEQUENTIAL));
                }
            }
            machine.closeNode(CLOSED_NODE);
        }

        NodeAccess node(int n) {
            return machine.node(n);
        }

        Endpoint endpoint(int n) {
            return plane.endpoint(n);
        }

        CoherentAccess coherentNode(int n) {
            return domain.node(n);
        }

        /** Every open node's whole memory, byte for byte (the line caches live there too). */
        MemorySegment[] snapshot() {
            MemorySegment[] copies = new MemorySegment[CLOSED_NODE];
            for (int n = 0; n < CLOSED_NODE; n++) {
                copies[n] = Arena.ofAuto().allocate(MEMORY_BYTES).copyFrom(machine.memory(n).segment());
            }
            return copies;
        }

        boolean unchanged(MemorySegment[] before) {
            for (int n = 0; n < CLOSED_NODE; n++) {
                if (machine.memory(n).segment().mismatch(before[n]) != -1) {
                    return false;
                }
            }
            return true;
        }

        long allocated() {
            long sum = 0;
            for (int n = 0; n < CLOSED_NODE; n++) {
                sum += machine.memory(n).allocator().allocatedBytes();
            }
            return sum;
        }

        @Override
        public void close() {
            domain.close();
            machine.close();
            arena.close();
        }
    }

    private static final List<Case> CASES = List.of(
            // ---- the machine and its address space
            new Case("node of a missing id", c -> c.f.machine.node(c.missingNode())),
            new Case("memory of a missing id", c -> c.f.machine.memory(c.missingNode())),
            new Case("close a missing node", c -> c.f.machine.closeNode(c.missingNode())),
            new Case("map on a missing node", c -> c.f.machine.map(RegionSpec.of("bad", 4096, Placement.onNode(c.missingNode())))),
            new Case("map larger than memory", c -> c.f.machine.map(RegionSpec.of("huge", MEMORY_BYTES * (2 + c.random.nextInt(100)),
                    Placement.onNode(c.openNode())))),
            new Case("map of no bytes", c -> c.f.machine.map(RegionSpec.of("empty", -c.random.nextInt(100), Placement.onNode(0)))),
            new Case("unmap twice", c -> c.f.machine.unmap(c.f.unmapped)),
            new Case("protect unmapped", c -> c.f.machine.addressSpace().protect(c.f.unmapped, Permissions.readOnly())),
            new Case("migrate to a missing node", c -> c.f.machine.addressSpace().migratePage(c.f.shared.address(0), c.missingNode())),
            new Case("migrate to a closed node", c -> c.f.machine.addressSpace().migratePage(c.f.shared.address(0), CLOSED_NODE)),
            new Case("translate outside", c -> c.f.machine.addressSpace().translate(c.outside(c.f.shared))),
            new Case("address beyond 2^48", c -> c.f.shared.address((1L << 48) + c.random.nextInt(1 << 20))),
            new Case("interleave beyond any machine", c -> Placement.interleavedRange(0, Integer.MAX_VALUE - c.random.nextInt(10))),
            // ---- the unified path
            new Case("load outside", c -> c.f.node(c.openNode()).loadLong(c.outside(c.f.shared))),
            new Case("store outside", c -> c.f.node(c.openNode()).storeInt(c.outside(c.f.shared), 1)),
            new Case("store to read-only", c -> c.f.node(c.openNode()).storeByte(c.f.readOnlyRegion.address(c.random.nextInt(4096)), (byte) 1)),
            new Case("load owner-only", c -> c.f.node(c.random.nextInt(2)).loadShort(c.f.ownerOnly.address(c.random.nextInt(4095)))),
            new Case("atomic misaligned", c -> c.f.node(c.openNode()).getAndAddLong(c.f.shared.address(8L * c.random.nextInt(100) + 1 + c.random.nextInt(7)), 1)),
            new Case("atomic on read-only", c -> c.f.node(c.openNode()).compareAndSetLong(c.f.readOnlyRegion.address(8L * c.random.nextInt(512)), 0, 1)),
            new Case("atomic on write-only", c -> c.f.node(0).getAndSetLong(c.f.writeOnly.address(8L * c.random.nextInt(512)), 1)),
            new Case("bulk read past end", c -> c.f.node(c.openNode()).read(c.f.shared.address(c.random.nextInt(4096)), c.f.scratch, 0,
                    c.f.shared.sizeBytes() + c.length())),
            new Case("bulk read into read-only", c -> c.f.node(c.openNode()).read(c.f.shared.address(0), c.f.readOnly, 0, c.length())),
            new Case("bulk read local too small", c -> {
                long length = c.length();
                c.f.node(c.openNode()).read(c.f.shared.address(0), c.tooSmall(length), 0, length);
            }),
            new Case("bulk negative length", c -> c.f.node(c.openNode()).write(c.f.scratch, 0, c.f.shared.address(0), -c.length())),
            new Case("bulk write to read-only", c -> c.f.node(c.openNode()).write(c.f.scratch, 0, c.f.readOnlyRegion.address(0), c.length() % 4096 + 1)),
            new Case("bulk write over closed node", c -> c.f.node(c.openNode()).write(c.f.scratch, 0, c.f.onClosedNode.address(c.random.nextInt(4096)), 4097)),
            new Case("load by closed node", c -> c.f.node(CLOSED_NODE).loadLong(c.f.shared.address(0))),
            new Case("view across nodes", c -> {
                int before = c.random.nextInt(100);
                c.f.node(c.openNode()).view(c.f.shared.address(4096 - 1 - before), 2 + before + c.random.nextInt(100));
            }),
            new Case("view of no bytes", c -> c.f.node(c.openNode()).view(c.f.shared.address(0), -c.random.nextInt(10))),
            new Case("plain load of a coherent region", c -> c.f.node(c.openNode()).loadLong(c.f.coherent.address(8L * c.random.nextInt(1024)))),
            // ---- the copy path
            new Case("endpoint of a missing node", c -> c.f.plane.endpoint(c.missingNode())),
            new Case("send to a missing node", c -> c.f.endpoint(c.openNode()).trySend(c.missingNode(), 1, c.f.scratch, 0, 64)),
            new Case("send to a closed node", c -> c.f.endpoint(c.openNode()).trySend(CLOSED_NODE, 1, c.f.scratch, 0, 64)),
            new Case("send past the local segment", c -> {
                long length = c.length();
                c.f.endpoint(c.openNode()).trySend(1, 1, c.tooSmall(length), 0, length);
            }),
            new Case("receive from a missing node", c -> c.f.endpoint(c.openNode()).tryReceive(c.missingSource(), 1, c.f.scratch, 0, 64)),
            new Case("rpc read into read-only", c -> c.f.endpoint(c.openNode()).rpcRead(c.f.shared.address(0), c.f.readOnly, 0, c.length())),
            new Case("get into read-only", c -> c.f.endpoint(c.openNode()).get(c.f.shared.address(0), c.f.readOnly, 0, c.length())),
            new Case("get outside", c -> c.f.endpoint(c.openNode()).get(c.outside(c.f.shared), c.f.scratch, 0, 64)),
            new Case("put to read-only", c -> c.f.endpoint(c.openNode()).put(c.f.scratch, 0, c.f.readOnlyRegion.address(0), c.length() % 4096 + 1)),
            new Case("rpc write over closed node", c -> c.f.endpoint(c.openNode()).rpcWrite(c.f.scratch, 0, c.f.onClosedNode.address(0), 8192)),
            new Case("nic atomic misaligned", c -> c.f.endpoint(c.openNode()).nicGetAndAddLong(c.f.shared.address(8L * c.random.nextInt(100) + 4), 1)),
            new Case("rpc atomic on write-only", c -> c.f.endpoint(0).rpcGetAndAddLong(c.f.writeOnly.address(0), 1)),
            new Case("nic atomic on read-only", c -> c.f.endpoint(c.openNode()).nicCompareAndExchangeLong(c.f.readOnlyRegion.address(0), 0, 1)),
            // ---- every path through the one abstraction
            new Case("path read outside", c -> c.path().read(c.outside(c.f.shared), c.f.scratch, 0, 64)),
            new Case("path read into read-only", c -> c.path().read(c.f.shared.address(0), c.f.readOnly, 0, c.length())),
            new Case("path write to read-only", c -> c.path().write(c.f.scratch, 0, c.f.readOnlyRegion.address(0), 64)),
            new Case("path offer to a missing node", c -> c.path().offer(c.missingNode(), c.f.scratch, 0, 64)),
            // ---- the coherent mode
            new Case("coherent node of a missing id", c -> c.f.domain.node(c.missingNode())),
            new Case("coherent stats of a missing id", c -> c.f.domain.stats(c.missingNode())),
            new Case("coherent load past end", c -> c.f.coherentNode(c.openNode()).loadLong(c.f.coherent.address(8192 - 7 + c.random.nextInt(100)))),
            new Case("coherent write from too small", c -> {
                long length = c.length();
                c.f.coherentNode(c.openNode()).write(c.tooSmall(length), 0, c.f.coherent.address(0), Math.min(length, 8192));
            }),
            new Case("coherent read into read-only", c -> c.f.coherentNode(c.openNode()).read(c.f.coherent.address(0), c.f.readOnly, 0, c.length() % 8192 + 1)),
            new Case("coherent atomic misaligned", c -> c.f.coherentNode(c.openNode()).getAndAddLong(c.f.coherent.address(8L * c.random.nextInt(100) + 2), 1)),
            new Case("coherent access by closed node", c -> c.f.coherentNode(CLOSED_NODE).loadLong(c.f.coherent.address(0))),
            new Case("coherent store outside", c -> c.f.coherentNode(c.openNode()).storeLong(c.outside(c.f.shared), 1)));

    @Test
    void everyBadCallRaisesATypedFaultChangesNoMemoryAndLeaksNothing() {
        long seed = Long.getLong("supernode.faults.seed", System.nanoTime());
        int calls = Integer.getInteger("supernode.faults.calls", DEFAULT_CALLS);
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, Integer> faultsByType = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        int done = 0;
        while (done < calls) {
            try (Fixture f = new Fixture(seed + done)) {
                MemorySegment[] before = f.snapshot();
                long allocated = f.allocated();
                for (int i = 0; i < CALLS_PER_MACHINE && done < calls; i++, done++) {
                    Case bad = CASES.get(random.nextInt(CASES.size()));
                    String where = "call " + done + " (" + bad.name + ")";
                    try {
                        bad.body.accept(new Call(f, random.split()));
                        problems.add(where + ": no fault");
                    } catch (SupernodeFault fault) {
                        faultsByType.merge(fault.getClass().getSimpleName(), 1, Integer::sum);
                    } catch (RuntimeException | Error raw) {
                        problems.add(where + ": raw " + raw);
                    }
                    if (!f.unchanged(before)) {
                        problems.add(where + ": memory changed");
                        before = f.snapshot();
                    }
                    if (f.allocated() != allocated) {
                        problems.add(where + ": allocator went from " + allocated + " to " + f.allocated() + " bytes");
                        allocated = f.allocated();
                    }
                    if (problems.size() > 20) {
                        break;
                    }
                }
            }
            if (problems.size() > 20) {
                break;
            }
        }
        int faults = faultsByType.values().stream().mapToInt(Integer::intValue).sum();
        System.out.println("fault injection, seed " + seed + ": " + done + " calls over " + CASES.size() + " cases, "
                + faults + " typed faults " + faultsByType + ", " + problems.size() + " problems");
        assertTrue(problems.isEmpty(), "seed " + seed + " (replay with -Dsupernode.faults.seed=" + seed + "): "
                + String.join("; ", problems));
        assertEquals(calls, faults, "seed " + seed);
    }
}
