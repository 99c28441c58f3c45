package io.supernode.coherence.access;

import io.supernode.coherence.protocol.CacheAction;
import io.supernode.coherence.protocol.CacheEvent;
import io.supernode.coherence.protocol.CacheLine;
import io.supernode.coherence.protocol.CacheState;
import io.supernode.coherence.protocol.Protocol;
import io.supernode.coherence.protocol.Transition;
import io.supernode.gas.access.LocalSegments;
import io.supernode.gas.access.NodeAccess;
import io.supernode.gas.access.ScalarAccess;
import io.supernode.gas.address.GlobalAddress;
import io.supernode.gas.address.Region;
import io.supernode.gas.fabric.FabricModel;
import io.supernode.gas.fabric.RouteClass;
import io.supernode.gas.fault.MisalignedAtomicFault;
import io.supernode.gas.fault.OutOfRangeFault;
import io.supernode.gas.fault.PermissionFault;
import io.supernode.gas.fault.UnsupportedAccessFault;
import io.supernode.gas.time.VirtualClock;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.function.LongUnaryOperator;


/**
 * One node's access path in a coherence domain. On a coherent region a load hits when the node's cache
 * holds the line readable (S, E or M) and a store when it holds it writable (M, or E, which becomes M
 * without a message); anything else runs the protocol first. Atomics are performed on the line once it
 * is held in M, so they need no round trip of their own. Regions that are not coherent are passed to the
 * node's {@link NodeAccess} unchanged, so one path serves a program that uses both.
 *
 * <p>Hits cost a local memory access (the cache lives in the node's own memory); misses cost their
 * protocol transaction. Time is charged to the node's own {@link VirtualClock}, the one its uncached
 * accesses use. Coherent stores complete before they return (they are not posted).
 *
 * <p>Every access checks that the domain, the machine and this node are open before anything moves: on a
 * coherent region once it holds the domain's lock (any of them may have closed while it waited), on any
 * other before passing it on. A bulk copy also checks that every page it spans has an open home before its
 * first line moves.
 */
public final class CoherentAccess extends ScalarAccess {

    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED;

    private final CoherentMemory memory;
    private final int self;
    private final NodeAccess uncached;
    private final LineCache cache;
    private final CoherenceStats stats;
    private final VirtualClock clock;
    private final FabricModel fabric;
    /** By protocol and state: whether a load hits without a message. */
    private final boolean[][] loadHits = new boolean[Protocol.values().length][];
    /** By protocol and state: the state a store moves to without a message, or null when it needs one. */
    private final CacheState[][] silentStores = new CacheState[Protocol.values().length][];
    private final MemorySegment scratch = MemorySegment.ofArray(new long[1]);

    CoherentAccess(CoherentMemory memory, int self, NodeAccess uncached, LineCache cache, CoherenceStats stats) {
        this.memory = memory;
        this.self = self;
        this.uncached = uncached;
        this.cache = cache;
        this.stats = stats;
        this.clock = uncached.clock();
        this.fabric = memory.machine().fabric();
        for (Protocol p : Protocol.values()) {
            // Which states serve a load, and which a store, without a message: read off the protocol's own table.
            var table = memory.cacheController(p).table();
            boolean[] hits = new boolean[CacheState.values().length];
            CacheState[] stores = new CacheState[CacheState.values().length];
            for (CacheState s : CacheState.values()) {
                hits[s.ordinal()] = silentHit(table.defines(s, CacheEvent.LOAD) ? table.lookup(s, CacheEvent.LOAD) : null);
                Transition<CacheState, CacheAction> st = table.defines(s, CacheEvent.STORE) ? table.lookup(s, CacheEvent.STORE) : null;
                stores[s.ordinal()] = silentHit(st) ? st.next() : null;
            }
            loadHits[p.ordinal()] = hits;
            silentStores[p.ordinal()] = stores;
        }
    }

    private static boolean silentHit(Transition<CacheState, CacheAction> t) {
        return t != null && !t.waits() && t.actions().equals(List.of(CacheAction.HIT));
    }

    /** The node this path issues from. */
    public int nodeId() {
        return self;
    }

    /** This node's modeled time (shared with its uncached accesses). */
    public VirtualClock clock() {
        return clock;
    }

    // ---- sized loads and stores (the typed ones are ScalarAccess's) ----------------------------

    @Override
    protected long load(long address, int size) {
        Region region = region(address, size, false);
        if (region == null) {
            memory.checkUsable(self, address, GlobalAddress.regionId(address));
            return switch (size) {
                case 1 -> uncached.loadByte(address);
                case 2 -> uncached.loadShort(address);
                case 4 -> uncached.loadInt(address);
                default -> uncached.loadLong(address);
            };
        }
        synchronized (memory) {
            memory.checkUsable(self, address, region.id());
            if (crossesLine(address, size)) {
                readCoherent(region, address, scratch, 0, size);
                return getSized(scratch, 0, size);
            }
            int slot = readable(region, memory.lineOf(address), size);
            return getSized(cache.data(), cache.offset(slot) + (address - memory.lineOf(address)), size);
        }
    }

    @Override
    protected void store(long address, int size, long bits) {
        Region region = region(address, size, true);
        if (region == null) {
            memory.checkUsable(self, address, GlobalAddress.regionId(address));
            switch (size) {
                case 1 -> uncached.storeByte(address, (byte) bits);
                case 2 -> uncached.storeShort(address, (short) bits);
                case 4 -> uncached.storeInt(address, (int) bits);
                default -> uncached.storeLong(address, bits);
            }
            return;
        }
        synchronized (memory) {
            memory.checkUsable(self, address, region.id());
            if (crossesLine(address, size)) {
                putSized(scratch, 0, size, bits);
                writeCoherent(region, scratch, 0, address, size);
                return;
            }
            int slot = writable(region, memory.lineOf(address), size);
            putSized(cache.data(), cache.offset(slot) + (address - memory.lineOf(address)), size, bits);
        }
    }

    // ---- atomics ----------------------------------------------------------------------------

    /** Atomically sets the long at {@code address} to {@code update} if it equals {@code expected}. */
    public boolean compareAndSetLong(long address, long expected, long update) {
        Region region = atomicRegion(address);
        if (region == null) {
            return uncached.compareAndSetLong(address, expected, update);
        }
        return getAndUpdate(region, address, old -> old == expected ? update : old) == expected;
    }

    /** Atomically adds {@code delta} to the long at {@code address}; returns the previous value. */
    public long getAndAddLong(long address, long delta) {
        Region region = atomicRegion(address);
        return region == null ? uncached.getAndAddLong(address, delta) : getAndUpdate(region, address, old -> old + delta);
    }

    /** Atomically replaces the long at {@code address}; returns the previous value. */
    public long getAndSetLong(long address, long value) {
        Region region = atomicRegion(address);
        return region == null ? uncached.getAndSetLong(address, value) : getAndUpdate(region, address, old -> value);
    }

    /** Takes the line in M, then reads, updates and writes the long in the cache: atomic under the domain's lock. */
    private long getAndUpdate(Region region, long address, LongUnaryOperator update) {
        synchronized (memory) {
            memory.checkUsable(self, address, region.id());
            stats.atomics++;
            int slot = writable(region, memory.lineOf(address), Long.BYTES);
            long at = cache.offset(slot) + (address - memory.lineOf(address));
            long old = cache.data().get(LONG, at);
            cache.data().set(LONG, at, update.applyAsLong(old));
            return old;
        }
    }

    private Region atomicRegion(long address) {
        if ((address & (Long.BYTES - 1)) != 0) {
            throw new MisalignedAtomicFault("node " + self + " atomic on 8 bytes at " + GlobalAddress.format(address)
                    + " is not 8-byte aligned", address, GlobalAddress.regionId(address), self);
        }
        Region region = region(address, Long.BYTES, true);
        if (region == null) {
            memory.checkUsable(self, address, GlobalAddress.regionId(address));
        }
        // An atomic returns the old value, a read: it needs both permissions, as on every other path.
        if (region != null && !region.canRead(self)) {
            throw new PermissionFault("node " + self + " may not atomically read " + Long.BYTES + " bytes at "
                    + GlobalAddress.format(address) + " in " + region + ": permissions " + region.permissions(),
                    address, region.id(), self);
        }
        return region;
    }

    // ---- bulk copies ------------------------------------------------------------------------

    /**
     * Copies {@code length} bytes at {@code address} into {@code dst} at {@code dstOffset}. On a coherent
     * region every line is brought in readable; misses on different lines overlap (issued one line-time
     * apart), so a bulk read costs about one miss plus its streaming time rather than one miss per line.
     */
    public void read(long address, MemorySegment dst, long dstOffset, long length) {
        LocalSegments.check(self, "read", dst, dstOffset, length, true, address);
        Region region = region(address, length, false);
        if (region == null) {
            memory.checkUsable(self, address, GlobalAddress.regionId(address));
            uncached.read(address, dst, dstOffset, length);
            return;
        }
        synchronized (memory) {
            memory.checkUsable(self, address, region.id());
            readCoherent(region, address, dst, dstOffset, length);
        }
    }

    /** Copies {@code length} bytes from {@code src} at {@code srcOffset} to {@code address}; lines are taken in M. */
    public void write(MemorySegment src, long srcOffset, long address, long length) {
        LocalSegments.check(self, "write", src, srcOffset, length, false, address);
        Region region = region(address, length, true);
        if (region == null) {
            memory.checkUsable(self, address, GlobalAddress.regionId(address));
            uncached.write(src, srcOffset, address, length);
            return;
        }
        synchronized (memory) {
            memory.checkUsable(self, address, region.id());
            writeCoherent(region, src, srcOffset, address, length);
        }
    }

    private void readCoherent(Region region, long address, MemorySegment dst, long dstOffset, long length) {
        copyLines(region, address, length, CacheEvent.LOAD, (slot, inLine, done, chunk) ->
                MemorySegment.copy(cache.data(), cache.offset(slot) + inLine, dst, dstOffset + done, chunk));
    }

    private void writeCoherent(Region region, MemorySegment src, long srcOffset, long address, long length) {
        copyLines(region, address, length, CacheEvent.STORE, (slot, inLine, done, chunk) ->
                MemorySegment.copy(src, srcOffset + done, cache.data(), cache.offset(slot) + inLine, chunk));
    }

    /** Copies one line's part of a bulk range once the line is held. */
    @FunctionalInterface
    private interface LineCopy {
        void copy(int slot, long offsetInLine, long doneBytes, long chunkBytes);
    }

    /**
     * Holds each line of the range for {@code event} and copies its part; line {@code i}'s request is issued one
     * line-time after the first, so misses overlap and the copy costs its slowest line.
     */
    private void copyLines(Region region, long address, long length, CacheEvent event, LineCopy copy) {
        memory.checkHomes(self, region, address, length);
        Protocol protocol = memory.protocolOfRegionId(region.id());
        int lineSize = memory.lineSize();
        long streamNanos = fabric.transferNanos(RouteClass.SAME_GROUP, lineSize) - fabric.transferNanos(RouteClass.SAME_GROUP, 0);
        long start = clock.nowNanos();
        long end = start;
        long done = 0;
        for (long line = memory.lineOf(address); done < length; line += lineSize) {
            long from = Math.max(address, line);
            long chunk = Math.min(line + lineSize, address + length) - from;
            end = Math.max(end, hold(protocol, line, event, (int) chunk, start + (done / lineSize) * streamNanos));
            copy.copy(cache.slotOf(line), from - line, done, chunk);
            done += chunk;
        }
        charge(end - start);
    }

    // ---- the cache ----------------------------------------------------------------------------

    /** The slot holding {@code line} readable, after a miss if need be; charges the access. */
    private int readable(Region region, long line, int bytes) {
        long now = clock.nowNanos();
        charge(hold(memory.protocolOfRegionId(region.id()), line, CacheEvent.LOAD, bytes, now) - now);
        return cache.slotOf(line);
    }

    /** The slot holding {@code line} writable, after a miss or an upgrade if need be; charges the access. */
    private int writable(Region region, long line, int bytes) {
        long now = clock.nowNanos();
        charge(hold(memory.protocolOfRegionId(region.id()), line, CacheEvent.STORE, bytes, now) - now);
        return cache.slotOf(line);
    }

    /**
     * Makes this node's cache hold {@code line} so that {@code event} (LOAD or STORE of {@code bytes}) hits,
     * running the protocol from {@code startNanos} if it would not; counts what happened.
     *
     * @return the modeled time the access completed
     */
    private long hold(Protocol protocol, long line, CacheEvent event, int bytes, long startNanos) {
        int slot = cache.slotOf(line);
        CacheLine held = slot >= 0 ? cache.state(slot) : CacheLine.INVALID;
        if (event == CacheEvent.LOAD) {
            if (slot >= 0 && loadHits[protocol.ordinal()][held.state().ordinal()]) {
                stats.loadHits++;
                cache.touch(slot);
                return startNanos + (bytes <= Long.BYTES ? fabric.scalarReadNanos(RouteClass.LOCAL, bytes)
                        : fabric.readNanos(RouteClass.LOCAL, bytes));
            }
            stats.loadMisses++;
        } else {
            CacheState silent = silentStores[protocol.ordinal()][held.state().ordinal()];
            if (slot >= 0 && silent != null) {
                stats.storeHits++;
                if (silent != held.state()) {
                    stats.silentUpgrades++;
                    cache.setState(slot, new CacheLine(silent, held.value(), held.acks()));
                }
                cache.touch(slot);
                return startNanos + (bytes <= Long.BYTES ? fabric.scalarWriteNanos(RouteClass.LOCAL, bytes)
                        : fabric.writeNanos(RouteClass.LOCAL, bytes));
            }
            if (held.state().readable()) {
                stats.upgrades++;
            } else {
                stats.storeMisses++;
            }
        }
        return memory.acquire(self, line, protocol, event, startNanos);
    }

    private void charge(long nanos) {
        clock.advanceBy(nanos);
        stats.modeledNanos += nanos;
    }

    private boolean crossesLine(long address, int size) {
        return memory.lineOf(address) != memory.lineOf(address + size - 1);
    }

    /**
     * The coherent region holding the range, or null when it is not coherent (the caller passes the access on
     * to {@link NodeAccess}, which checks it).
     */
    private Region region(long address, long length, boolean write) {
        Region region = memory.machine().addressSpace().regionById(GlobalAddress.regionId(address));
        if (region == null || !region.coherent()) {
            return null;
        }
        long offset = GlobalAddress.offset(address);
        String what = write ? "store" : "load";
        if (length < 0 || offset > region.sizeBytes() - length) {
            throw new OutOfRangeFault("node " + self + " " + what + " of " + length + " bytes at "
                    + GlobalAddress.format(address) + " runs past the end of " + region, address, region.id(), self);
        }
        if (!(write ? region.canWrite(self) : region.canRead(self))) {
            throw new PermissionFault("node " + self + " may not " + what + " " + length + " bytes at "
                    + GlobalAddress.format(address) + " in " + region + ": permissions " + region.permissions(),
                    address, region.id(), self);
        }
        if (memory.protocolOfRegionId(region.id()) == null) {
            throw new UnsupportedAccessFault("node " + self + " " + what + " at " + GlobalAddress.format(address) + ": "
                    + region + " is coherent but belongs to another coherence domain", address, region.id(), self);
        }
        return region;
    }
}
