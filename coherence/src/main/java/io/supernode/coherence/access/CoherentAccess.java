package io.supernode.coherence.access;

import io.supernode.coherence.protocol.CacheEvent;
import io.supernode.coherence.protocol.CacheLine;
import io.supernode.coherence.protocol.CacheState;
import io.supernode.coherence.protocol.Protocol;
import io.supernode.gas.access.LocalSegments;
import io.supernode.gas.access.NodeAccess;
import io.supernode.gas.access.ScalarAccess;
import io.supernode.gas.address.GlobalAddress;
import io.supernode.gas.address.GlobalAddressSpace;
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
import java.util.function.LongUnaryOperator;


/**
 * One node's access path in a coherence domain. On a coherent region a load hits when the node's cache
 * holds the line readable (S, E or M) and a store when it holds it writable (M, or E, which becomes M
 * without a message); anything else runs the protocol first. Atomics are performed on the line while it
 * is held in M, so they need no round trip of their own. Regions that are not coherent are passed to the
 * node's {@link NodeAccess} unchanged, so one path serves a program that uses both.
 *
 * <p>Hits cost a local memory access (the cache lives in the node's own memory); misses cost their
 * protocol transaction. Time is charged to the node's own {@link VirtualClock}, the one its uncached
 * accesses use. Coherent stores complete before they return (they are not posted).
 *
 * <p>One thread drives it at a time, as every node's access path; different nodes' paths run at the same
 * time. A hit takes no lock: a load reads the slot between two reads of its stamp and a store or an atomic
 * holds the stamp while it writes (see {@link LineCache}); anything else, and every access in checking mode,
 * goes through its line's lock in the domain. Every access that does not hit checks that the domain, the
 * machine and this node are open before anything moves; a hit cannot happen once any of them closes, because
 * closing invalidates or poisons the lines first. A bulk copy also checks that every page it spans has an
 * open home before its first line moves.
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
    private final boolean checked;
    /** By protocol and state: whether a load hits without a message (the domain's table). */
    private final boolean[][] loadHits;
    /** By protocol and state: the state a store moves to without a message, or null when it needs one (the domain's). */
    private final CacheState[][] silentStores;
    private final MemorySegment scratch = MemorySegment.ofArray(new long[1]);
    private final long lineMask;
    // The last line a load, and a store, found in the cache, with what its next hit needs (see lineInside).
    private long lastLoadLine = -1;
    private int lastLoadSlot;
    private boolean[] lastLoadHits;
    private int lastLoadEpoch;
    private long lastStoreLine = -1;
    private int lastStoreSlot;
    private CacheState[] lastStores;
    private int lastStoreEpoch;
    private final GlobalAddressSpace space;
    /** The domain's protocol of each region id (the domain's own array: regions mapped later appear in it). */
    private final Protocol[] protocolOfRegion;
    /** A hit's modeled cost by scalar size: a local memory access. */
    private final long[] loadHitNanos = new long[Long.BYTES + 1];
    private final long[] storeHitNanos = new long[Long.BYTES + 1];

    CoherentAccess(CoherentMemory memory, int self, NodeAccess uncached, LineCache cache, CoherenceStats stats) {
        this.memory = memory;
        this.self = self;
        this.uncached = uncached;
        this.cache = cache;
        this.stats = stats;
        this.clock = uncached.clock();
        this.fabric = memory.machine().fabric();
        this.checked = memory.checked();
        this.lineMask = ~((long) memory.lineSize() - 1);
        this.space = memory.machine().addressSpace();
        this.protocolOfRegion = memory.protocolOfRegion();
        for (int size = 1; size <= Long.BYTES; size++) {
            loadHitNanos[size] = hitNanos(CacheEvent.LOAD, size);
            storeHitNanos[size] = hitNanos(CacheEvent.STORE, size);
        }
        this.loadHits = memory.loadHits();
        this.silentStores = memory.silentStores();
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
        long line = address & lineMask;
        if (line != lastLoadLine || lastLoadEpoch != space.epoch() || ((address + size - 1) & lineMask) != line
                || cache.lineOf(lastLoadSlot) != line) {
            return loadFirstInLine(address, size);
        }
        return loadLastLine(address, size, line);
    }

    /** A load of the line remembered last, whose region checks passed: a hit, unless a delivery took the line. */
    private long loadLastLine(long address, int size, long line) {
        // The seqlock read of a hit: stamp, state, bytes, stamp again.
        int slot = lastLoadSlot;
        long stamp = cache.readStamp(slot);
        if ((stamp & 1) == 0 && lastLoadHits[cache.stateOrdinal(slot)]) {
            long bits = hitBytes(slot, address - line, size, address);
            if (cache.unchangedSince(slot, stamp)) {
                stats.loadHits++;
                cache.touch(slot);
                long nanos = loadHitNanos[size];
                clock.advanceBy(nanos);
                stats.modeledNanos += nanos;
                return bits;
            }
        }
        return loadMissed(address, size);
    }

    /**
     * A load of the remembered line that did not hit: the region is looked up again, since it may have been
     * handed back or unmapped meanwhile (a closing domain invalidates its lines first).
     */
    private long loadMissed(long address, int size) {
        Region region = region(address, size, false);
        return region == null ? uncachedLoad(address, size) : loadSlowly(region, address, size);
    }

    /**
     * A load of a line other than the last one loaded: checks the region, and when the cache holds the line,
     * remembers it so that this and the next loads of it take the hit path.
     */
    private long loadFirstInLine(long address, int size) {
        int epoch = space.epoch();
        Region region = region(address, size, false);
        if (region == null) {
            return uncachedLoad(address, size);
        }
        long line = address & lineMask;
        int slot = checked || line != ((address + size - 1) & lineMask) ? -1 : cache.slotOf(line);
        if (slot < 0 || !lineInside(region, line)) {
            return loadSlowly(region, address, size);
        }
        lastLoadLine = line;
        lastLoadSlot = slot;
        lastLoadHits = loadHits[protocolOfRegion[region.id()].ordinal()];
        lastLoadEpoch = epoch;
        return loadLastLine(address, size, line);
    }

    /**
     * Whether every byte of {@code line} lies in {@code region}: then an access that stays in the line is in
     * bounds, and the hit paths may skip the region's checks for the line's next accesses (until the address
     * space's epoch moves: a region mapped, unmapped, protected or handed back).
     */
    private boolean lineInside(Region region, long line) {
        return GlobalAddress.offset(line) <= region.sizeBytes() - memory.lineSize();
    }

    /** The bytes of a hit from the slot; the node's memory may have been unmapped by a close racing it. */
    private long hitBytes(int slot, long inLine, int size, long address) {
        try {
            return getSized(cache.data(), cache.offset(slot) + inLine, size);
        } catch (IllegalStateException e) {
            throw space.closedDuring(self, address, e);
        }
    }

    private long uncachedLoad(long address, int size) {
        memory.checkUsable(self, address, GlobalAddress.regionId(address));
        return switch (size) {
            case 1 -> uncached.loadByte(address);
            case 2 -> uncached.loadShort(address);
            case 4 -> uncached.loadInt(address);
            default -> uncached.loadLong(address);
        };
    }

    /** A load that missed, crosses lines, lost a race with a delivery, or runs in checking mode. */
    private long loadSlowly(Region region, long address, int size) {
        try {
            if (crossesLine(address, size)) {
                readCoherent(region, address, scratch, 0, size);
                return getSized(scratch, 0, size);
            }
            long line = address & lineMask;
            long inLine = address - line;
            slowly(protocolOfRegion[region.id()], line, CacheEvent.LOAD, size,
                    (data, at) -> MemorySegment.copy(data, at + inLine, scratch, 0, size));
            return getSized(scratch, 0, size);
        } catch (IllegalStateException e) {
            throw space.closedDuring(self, address, e);
        }
    }

    @Override
    protected void store(long address, int size, long bits) {
        long line = address & lineMask;
        if (line != lastStoreLine || lastStoreEpoch != space.epoch() || ((address + size - 1) & lineMask) != line
                || cache.lineOf(lastStoreSlot) != line) {
            storeFirstInLine(address, size, bits);
            return;
        }
        storeLastLine(address, size, bits, line);
    }

    /** A store to the line remembered last, whose region checks passed: a hit, unless the line is not held writable. */
    private void storeLastLine(long address, int size, long bits, long line) {
        int slot = lastStoreSlot;
        if (cache.tryBeginWrite(slot)) {
            boolean hit;
            try {
                hit = takeWritable(lastStores, slot);
                if (hit) {
                    putSized(cache.data(), cache.offset(slot) + (address - line), size, bits);
                }
            } catch (IllegalStateException e) {
                throw space.closedDuring(self, address, e);
            } finally {
                cache.endWrite(slot);
            }
            if (hit) {
                stats.storeHits++;
                cache.touch(slot);
                long nanos = storeHitNanos[size];
                clock.advanceBy(nanos);
                stats.modeledNanos += nanos;
                return;
            }
        }
        Region region = region(address, size, true);
        if (region == null) {
            uncachedStore(address, size, bits);
        } else {
            storeSlowly(region, address, size, bits);
        }
    }

    /** As {@link #loadFirstInLine}, for a store. */
    private void storeFirstInLine(long address, int size, long bits) {
        int epoch = space.epoch();
        Region region = region(address, size, true);
        if (region == null) {
            uncachedStore(address, size, bits);
            return;
        }
        long line = address & lineMask;
        int slot = checked || line != ((address + size - 1) & lineMask) ? -1 : cache.slotOf(line);
        if (slot < 0 || !lineInside(region, line)) {
            storeSlowly(region, address, size, bits);
            return;
        }
        lastStoreLine = line;
        lastStoreSlot = slot;
        lastStores = silentStores[protocolOfRegion[region.id()].ordinal()];
        lastStoreEpoch = epoch;
        storeLastLine(address, size, bits, line);
    }

    private void uncachedStore(long address, int size, long bits) {
        memory.checkUsable(self, address, GlobalAddress.regionId(address));
        switch (size) {
            case 1 -> uncached.storeByte(address, (byte) bits);
            case 2 -> uncached.storeShort(address, (short) bits);
            case 4 -> uncached.storeInt(address, (int) bits);
            default -> uncached.storeLong(address, bits);
        }
    }

    /** A store that missed, needs an upgrade, crosses lines, lost a race with a delivery, or runs in checking mode. */
    private void storeSlowly(Region region, long address, int size, long bits) {
        try {
            if (crossesLine(address, size)) {
                putSized(scratch, 0, size, bits);
                writeCoherent(region, scratch, 0, address, size);
                return;
            }
            long line = address & lineMask;
            long inLine = address - line;
            slowly(protocolOfRegion[region.id()], line, CacheEvent.STORE, size,
                    (data, at) -> putSized(data, at + inLine, size, bits));
        } catch (IllegalStateException e) {
            throw space.closedDuring(self, address, e);
        }
    }

    /**
     * Whether the slot, whose stamp the caller holds, may be written without a message; moves MESI's E to M
     * (silently) when it is.
     */
    private boolean takeWritable(CacheState[] stores, int slot) {
        CacheLine held = cache.state(slot);
        CacheState silent = stores[held.state().ordinal()];
        if (silent == null) {
            return false;
        }
        if (silent != held.state()) {
            stats.silentUpgrades++;
            cache.setState(slot, new CacheLine(silent, held.value(), held.acks()));
        }
        return true;
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

    /**
     * Reads, updates and writes the long in the cache while the line is held in M: on a hit under the slot's
     * stamp, on a miss the moment the line arrives, so no other node's request comes in between.
     */
    private long getAndUpdate(Region region, long address, LongUnaryOperator update) {
        try {
            stats.atomics++;
            Protocol protocol = protocolOfRegion[region.id()];
            long line = address & lineMask;
            long inLine = address - line;
            LineRecord.SlotAction readModifyWrite = (data, at) -> {
                long old = data.get(LONG, at + inLine);
                data.set(LONG, at + inLine, update.applyAsLong(old));
                scratch.set(LONG, 0, old);
            };
            if (tryHit(protocol, line, CacheEvent.STORE, readModifyWrite)) {
                charge(storeHitNanos[Long.BYTES]);
            } else {
                slowly(protocol, line, CacheEvent.STORE, Long.BYTES, readModifyWrite);
            }
            return scratch.get(LONG, 0);
        } catch (IllegalStateException e) {
            throw space.closedDuring(self, address, e);
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
        try {
            readCoherent(region, address, dst, dstOffset, length);
        } catch (IllegalStateException e) {
            throw space.closedDuring(self, address, e);
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
        try {
            writeCoherent(region, src, srcOffset, address, length);
        } catch (IllegalStateException e) {
            throw space.closedDuring(self, address, e);
        }
    }

    private void readCoherent(Region region, long address, MemorySegment dst, long dstOffset, long length) {
        copyLines(region, address, length, CacheEvent.LOAD, (inLine, done, chunk) -> (data, at) ->
                MemorySegment.copy(data, at + inLine, dst, dstOffset + done, chunk));
    }

    private void writeCoherent(Region region, MemorySegment src, long srcOffset, long address, long length) {
        copyLines(region, address, length, CacheEvent.STORE, (inLine, done, chunk) -> (data, at) ->
                MemorySegment.copy(src, srcOffset + done, data, at + inLine, chunk));
    }

    /** The copy of one line's part of a bulk range, to perform on the line's bytes once it is held. */
    @FunctionalInterface
    private interface LineCopy {
        LineRecord.SlotAction of(long offsetInLine, long doneBytes, long chunkBytes);
    }

    /**
     * Holds each line of the range for {@code event} and copies its part; line {@code i}'s request is issued one
     * line-time after the first, so misses overlap and the copy costs its slowest line.
     */
    private void copyLines(Region region, long address, long length, CacheEvent event, LineCopy copy) {
        memory.checkHomes(self, region, address, length);
        Protocol protocol = protocolOfRegion[region.id()];
        int lineSize = memory.lineSize();
        long streamNanos = fabric.transferNanos(RouteClass.SAME_GROUP, lineSize) - fabric.transferNanos(RouteClass.SAME_GROUP, 0);
        long start = clock.nowNanos();
        long end = start;
        long done = 0;
        for (long line = address & lineMask; done < length; line += lineSize) {
            long from = Math.max(address, line);
            long chunk = Math.min(line + lineSize, address + length) - from;
            long issueAt = start + (done / lineSize) * streamNanos;
            LineRecord.SlotAction action = copy.of(from - line, done, chunk);
            long completed = tryHit(protocol, line, event, action) ? CoherentMemory.HIT
                    : memory.access(self, line, protocol, event, issueAt, action);
            end = Math.max(end, issueAt + (completed == CoherentMemory.HIT ? hitNanos(event, (int) chunk) : completed - issueAt));
            done += chunk;
        }
        charge(end - start);
    }

    /**
     * Performs {@code action} on the line if this node holds it as {@code event} needs, without a lock, and counts
     * the hit; false when it does not (the caller takes the slow path; a load's action may have run on bytes the
     * slow path then copies again).
     */
    private boolean tryHit(Protocol protocol, long line, CacheEvent event, LineRecord.SlotAction action) {
        int slot = checked ? -1 : cache.slotOf(line);
        if (slot < 0) {
            return false;
        }
        if (event == CacheEvent.LOAD) {
            long stamp = cache.readStamp(slot);
            if ((stamp & 1) != 0 || !loadHits[protocol.ordinal()][cache.stateOrdinal(slot)]) {
                return false;
            }
            action.perform(cache.data(), cache.offset(slot));
            if (!cache.unchangedSince(slot, stamp)) {
                return false;
            }
            stats.loadHits++;
        } else {
            if (!cache.tryBeginWrite(slot)) {
                return false;
            }
            try {
                if (!takeWritable(silentStores[protocol.ordinal()], slot)) {
                    return false;
                }
                action.perform(cache.data(), cache.offset(slot));
            } finally {
                cache.endWrite(slot);
            }
            stats.storeHits++;
        }
        cache.touch(slot);
        return true;
    }

    // ---- the cache ----------------------------------------------------------------------------

    /** Runs the access through its line's lock (a miss, an upgrade, or any access in checking mode) and charges it. */
    private void slowly(Protocol protocol, long line, CacheEvent event, int bytes, LineRecord.SlotAction action) {
        long now = clock.nowNanos();
        long done = memory.access(self, line, protocol, event, now, action);
        charge(done == CoherentMemory.HIT ? hitNanos(event, bytes) : done - now);
    }

    /** A hit's cost: a local memory access of {@code bytes}. */
    private long hitNanos(CacheEvent event, int bytes) {
        if (event == CacheEvent.LOAD) {
            return bytes <= Long.BYTES ? fabric.scalarReadNanos(RouteClass.LOCAL, bytes) : fabric.readNanos(RouteClass.LOCAL, bytes);
        }
        return bytes <= Long.BYTES ? fabric.scalarWriteNanos(RouteClass.LOCAL, bytes) : fabric.writeNanos(RouteClass.LOCAL, bytes);
    }

    private void charge(long nanos) {
        clock.advanceBy(nanos);
        stats.modeledNanos += nanos;
    }

    private boolean crossesLine(long address, int size) {
        return (address & lineMask) != ((address + size - 1) & lineMask);
    }

    /**
     * The coherent region holding the range, or null when it is not coherent (the caller passes the access on
     * to {@link NodeAccess}, which checks it).
     */
    private Region region(long address, long length, boolean write) {
        Region region = space.regionById(GlobalAddress.regionId(address));
        if (region == null || !region.coherent()) {
            return null;
        }
        long offset = GlobalAddress.offset(address);
        if (length < 0 || offset > region.sizeBytes() - length || !(write ? region.canWrite(self) : region.canRead(self))
                || protocolOfRegion[region.id()] == null) {
            throw refused(region, address, length, write);
        }
        return region;
    }

    /** The fault of an access to a coherent region that {@link #region} refuses (kept apart: the hit path is small). */
    private RuntimeException refused(Region region, long address, long length, boolean write) {
        String what = write ? "store" : "load";
        long offset = GlobalAddress.offset(address);
        if (length < 0 || offset > region.sizeBytes() - length) {
            return new OutOfRangeFault("node " + self + " " + what + " of " + length + " bytes at "
                    + GlobalAddress.format(address) + " runs past the end of " + region, address, region.id(), self);
        }
        if (!(write ? region.canWrite(self) : region.canRead(self))) {
            return new PermissionFault("node " + self + " may not " + what + " " + length + " bytes at "
                    + GlobalAddress.format(address) + " in " + region + ": permissions " + region.permissions(),
                    address, region.id(), self);
        }
        return new UnsupportedAccessFault("node " + self + " " + what + " at " + GlobalAddress.format(address) + ": "
                + region + " is coherent but belongs to another coherence domain", address, region.id(), self);
    }
}
