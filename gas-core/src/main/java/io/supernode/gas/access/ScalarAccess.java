package io.supernode.gas.access;

import io.supernode.gas.time.VirtualClock;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The typed scalar loads and stores a node issues by global address, each turned into one sized access
 * of 1, 2, 4 or 8 bytes (native byte order, any alignment). The uncached path ({@link NodeAccess}) and
 * the coherent one differ only in how they serve that sized access.
 */
public abstract class ScalarAccess {

    /** The node this path issues from. */
    public abstract int nodeId();

    /** The issuing node's modeled time. */
    public abstract VirtualClock clock();

    /** Loads the {@code sizeBytes} (1, 2, 4 or 8) bytes at {@code address} into a long's low bits. */
    protected abstract long load(long address, int sizeBytes);

    /** Stores the low {@code sizeBytes} (1, 2, 4 or 8) bytes of {@code bits} at {@code address}. */
    protected abstract void store(long address, int sizeBytes, long bits);

    /** Loads a byte. */
    public final byte loadByte(long address) {
        return (byte) load(address, Byte.BYTES);
    }

    /** Loads a short. */
    public final short loadShort(long address) {
        return (short) load(address, Short.BYTES);
    }

    /** Loads an int. */
    public final int loadInt(long address) {
        return (int) load(address, Integer.BYTES);
    }

    /** Loads a long. */
    public final long loadLong(long address) {
        return load(address, Long.BYTES);
    }

    /** Loads a float. */
    public final float loadFloat(long address) {
        return Float.intBitsToFloat((int) load(address, Float.BYTES));
    }

    /** Loads a double. */
    public final double loadDouble(long address) {
        return Double.longBitsToDouble(load(address, Double.BYTES));
    }

    /** Stores a byte. */
    public final void storeByte(long address, byte value) {
        store(address, Byte.BYTES, value);
    }

    /** Stores a short. */
    public final void storeShort(long address, short value) {
        store(address, Short.BYTES, value);
    }

    /** Stores an int. */
    public final void storeInt(long address, int value) {
        store(address, Integer.BYTES, value);
    }

    /** Stores a long. */
    public final void storeLong(long address, long value) {
        store(address, Long.BYTES, value);
    }

    /** Stores a float. */
    public final void storeFloat(long address, float value) {
        store(address, Float.BYTES, Float.floatToRawIntBits(value));
    }

    /** Stores a double. */
    public final void storeDouble(long address, double value) {
        store(address, Double.BYTES, Double.doubleToRawLongBits(value));
    }

    /** Reads the {@code sizeBytes} (1, 2, 4 or 8) bytes at {@code offset} of {@code segment} into a long's low bits. */
    protected static long getSized(MemorySegment segment, long offset, int sizeBytes) {
        return switch (sizeBytes) {
            case 1 -> segment.get(ValueLayout.JAVA_BYTE, offset);
            case 2 -> segment.get(ValueLayout.JAVA_SHORT_UNALIGNED, offset);
            case 4 -> segment.get(ValueLayout.JAVA_INT_UNALIGNED, offset);
            default -> segment.get(ValueLayout.JAVA_LONG_UNALIGNED, offset);
        };
    }

    /** Writes the low {@code sizeBytes} (1, 2, 4 or 8) bytes of {@code bits} at {@code offset} of {@code segment}. */
    protected static void putSized(MemorySegment segment, long offset, int sizeBytes, long bits) {
        switch (sizeBytes) {
            case 1 -> segment.set(ValueLayout.JAVA_BYTE, offset, (byte) bits);
            case 2 -> segment.set(ValueLayout.JAVA_SHORT_UNALIGNED, offset, (short) bits);
            case 4 -> segment.set(ValueLayout.JAVA_INT_UNALIGNED, offset, (int) bits);
            default -> segment.set(ValueLayout.JAVA_LONG_UNALIGNED, offset, bits);
        }
    }
}
