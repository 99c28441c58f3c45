package io.supernode.collectives.run;

import io.supernode.gas.fault.ConfigFault;

import java.util.ArrayList;
import java.util.List;

/**
 * The sizes of an nccl-tests sweep: from {@code minBytes} to {@code maxBytes}, multiplying by {@code factor}
 * ({@code -f}) or adding {@code stepBytes} ({@code -i}) when it is not zero.
 */
public final class SizeSweep {

    /** The most sizes one sweep runs (A: a sweep by a factor of 2 from 1 B to 64 GiB has 37). */
    public static final int MAX_SIZES = 1_000;

    private SizeSweep() {
    }

    /**
     * The sizes, smallest first.
     *
     * @throws ConfigFault when a bound is out of range, the factor is below 2 without a step, or there would
     *         be more than {@link #MAX_SIZES}
     */
    public static List<Long> sizes(long minBytes, long maxBytes, long factor, long stepBytes) {
        if (minBytes < 0 || maxBytes < minBytes || maxBytes > CollectiveSpec.MAX_SIZE_BYTES) {
            throw new ConfigFault("sizes must run from 0 up to " + CollectiveSpec.MAX_SIZE_BYTES + " bytes, min first; got "
                    + minBytes + " to " + maxBytes);
        }
        if (stepBytes < 0 || stepBytes == 0 && factor < 2) {
            throw new ConfigFault("a sweep needs a step factor of at least 2 or a step of at least 1 byte, got factor "
                    + factor + " and step " + stepBytes);
        }
        if (stepBytes > 0 && (maxBytes - minBytes) / stepBytes >= MAX_SIZES) {
            throw new ConfigFault("a step of " + stepBytes + " bytes makes more than " + MAX_SIZES + " sizes");
        }
        List<Long> sizes = new ArrayList<>();
        long size = minBytes;
        while (size <= maxBytes) {
            sizes.add(size);
            if (stepBytes > 0) {
                size += stepBytes;
            } else if (size == 0) {
                size = 1;
            } else if (size > maxBytes / factor) {
                break;
            } else {
                size *= factor;
            }
        }
        return List.copyOf(sizes);
    }
}
