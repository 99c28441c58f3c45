package io.supernode.gas.memory;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Locale;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Downcalls to the POSIX virtual-memory calls that make nominal memory cheap: {@code mmap} with
 * {@code MAP_NORESERVE} reserves address space without committing it, {@code madvise(MADV_DONTNEED)}
 * hands pages back, {@code munmap} releases the reservation.
 *
 * <p>Linux only: the emulator relies on Linux's guarantee that an anonymous private page read after
 * {@code MADV_DONTNEED} is zero-filled; other systems' {@code MADV_DONTNEED} is only a hint.
 */
final class NativeMemory {

    /** Linux's values, identical on x86_64 and aarch64 ({@code <bits/mman-linux.h>}). */
    private static final int PROT_READ = 0x1;
    private static final int PROT_WRITE = 0x2;
    private static final int MAP_PRIVATE = 0x02;
    private static final int MAP_ANONYMOUS = 0x20;
    private static final int MAP_NORESERVE = 0x4000;
    private static final int MADV_DONTNEED = 4;
    private static final int MADV_HUGEPAGE = 14;
    private static final long MAP_FAILED = -1L;

    /** The OS page size that {@code madvise} ranges must be aligned to on every Linux target we run on. */
    static final long OS_PAGE_BYTES = 4096;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE_LAYOUT.varHandle(
            MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    private static final MethodHandle MMAP = downcall("mmap",
            FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
    private static final MethodHandle MUNMAP = downcall("munmap",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle MADVISE = downcall("madvise",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));

    private NativeMemory() {
    }

    // A downcall is a restricted FFM method: the launcher, the tests and the benchmarks enable native access.
    @SuppressWarnings("restricted")
    private static MethodHandle downcall(String name, FunctionDescriptor descriptor) {
        requireLinux();
        MemorySegment symbol = LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new UnsupportedOperationException("libc has no symbol " + name));
        return LINKER.downcallHandle(symbol, descriptor, CAPTURE_ERRNO);
    }

    private static void requireLinux() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (!os.contains("linux")) {
            throw new UnsupportedOperationException("node memory needs Linux mmap semantics "
                    + "(MAP_NORESERVE, zero-filling MADV_DONTNEED); this JVM runs on " + os);
        }
    }

    /**
     * Reserves {@code sizeBytes} of zero-filled, uncommitted memory.
     *
     * @return the raw mapping as a zero-length segment at the mapping's address
     */
    static MemorySegment reserve(long sizeBytes) {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment errno = call.allocate(CAPTURE_LAYOUT);
            MemorySegment mapped = (MemorySegment) MMAP.invokeExact(errno, MemorySegment.NULL, sizeBytes,
                    PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0L);
            if (mapped.address() == MAP_FAILED) {
                throw new IllegalStateException("mmap of " + sizeBytes + " bytes failed, errno "
                        + (int) ERRNO.get(errno, 0L));
            }
            return mapped;
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("mmap downcall failed", t);
        }
    }

    /** Releases a reservation made by {@link #reserve}. */
    static void unreserve(long address, long sizeBytes) {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment errno = call.allocate(CAPTURE_LAYOUT);
            int rc = (int) MUNMAP.invokeExact(errno, MemorySegment.ofAddress(address), sizeBytes);
            check(rc, "munmap", address, sizeBytes, errno);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("munmap downcall failed", t);
        }
    }

    /** Gives pages back to the OS; the range reads as zero afterwards and no longer counts in RSS. */
    static void discard(long address, long sizeBytes) {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment errno = call.allocate(CAPTURE_LAYOUT);
            int rc = (int) MADVISE.invokeExact(errno, MemorySegment.ofAddress(address), sizeBytes, MADV_DONTNEED);
            check(rc, "madvise", address, sizeBytes, errno);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("madvise downcall failed", t);
        }
    }

    /**
     * Asks the OS to back {@code [address, address + sizeBytes)} with transparent huge pages: a range touched in bulk
     * then faults once per 2 MiB instead of once per 4 KiB. Only a hint: a kernel without them (or with them off)
     * refuses, and the range keeps working on small pages, so the answer is ignored.
     */
    static void adviseHugePages(long address, long sizeBytes) {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment errno = call.allocate(CAPTURE_LAYOUT);
            int ignored = (int) MADVISE.invokeExact(errno, MemorySegment.ofAddress(address), sizeBytes, MADV_HUGEPAGE);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("madvise downcall failed", t);
        }
    }

    private static void check(int rc, String name, long address, long sizeBytes, MemorySegment errno) {
        if (rc != 0) {
            throw new IllegalStateException(name + " of " + sizeBytes + " bytes at 0x"
                    + Long.toHexString(address) + " failed, errno " + (int) ERRNO.get(errno, 0L));
        }
    }
}
