package io.supernode.collectives.run;

import io.supernode.gas.fault.ConfigFault;

import java.util.Arrays;
import java.util.Locale;

/**
 * How a collective's kernels hand data over, as NCCL's protocols do: the slice a transfer is cut into (each
 * slice is put and signalled on its own, so a ring pipelines slice by slice), the share of the wire that is
 * payload, the synchronization a slice costs on the unified path between its last byte landing and the
 * receiver acting on it, and the launch cost paid once per collective. On the copy path a slice is one
 * message and the copy stack's own per-message costs apply instead of the synchronization.
 *
 * @param name                NCCL's name
 * @param sliceBytes          payload bytes per slice
 * @param payloadShare        payload bytes per wire byte
 * @param syncNanos           unified path: from a slice's landing to the receiver acting on it
 * @param launchNanos         once per collective: the kernel's launch and first synchronization
 * @param source              where the numbers come from
 */
public record Protocol(String name, long sliceBytes, double payloadShare, long syncNanos, long launchNanos,
                       String source) {

    /**
     * NCCL's Simple: 1 MiB slices (2 steps of NCCL_BUFFSIZE 4 MiB / 8 for a ring all-reduce), the whole wire
     * payload, 3.4 us per ring step over NVLink and 8.4 us base latency (C: NCCL 2.30 src/graph/tuning.cc,
     * hwLat[NVLINK][RING][SIMPLE] and baseLat[RING][SIMPLE]; src/device/collectives.h slice steps).
     */
    public static final Protocol SIMPLE = new Protocol("Simple", 1L << 20, 1.0, 3_400, 8_400,
            "C: NCCL 2.30 tuning.cc (hwLat NVLink Ring Simple 3.4 us, baseLat 8.4 us); 1 MiB slices from "
                    + "NCCL_BUFFSIZE 4 MiB / 8 steps x 2 slice steps");

    /**
     * NCCL's LL (low latency): 8-byte lines of 4 data bytes and a 4-byte flag, so half the wire is payload,
     * 32 KiB of payload per slice, 0.6 us per step and 6.6 us base latency (C: NCCL 2.30 tuning.cc
     * hwLat[NVLINK][RING][LL], baseLat[RING][LL]; LL buffer 512 KiB / 8 steps, half payload).
     */
    public static final Protocol LL = new Protocol("LL", 32L << 10, 0.5, 600, 6_600,
            "C: NCCL 2.30 tuning.cc (hwLat NVLink Ring LL 0.6 us, baseLat 6.6 us); 32 KiB payload slices");

    private static final Protocol[] ALL = {SIMPLE, LL};

    /** Checks the numbers. */
    public Protocol {
        if (name == null || sliceBytes < 1 || !(payloadShare > 0 && payloadShare <= 1) || syncNanos < 0 || launchNanos < 0) {
            throw new ConfigFault("protocol needs a name, slices >= 1 B, a payload share in (0, 1] and times >= 0");
        }
    }

    /** Every built-in protocol. */
    public static Protocol[] all() {
        return ALL.clone();
    }

    /**
     * The built-in protocol with this name, any case.
     *
     * @throws ConfigFault naming the known protocols
     */
    public static Protocol byName(String name) {
        String wanted = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(ALL).filter(p -> p.name.toLowerCase(Locale.ROOT).equals(wanted)).findFirst()
                .orElseThrow(() -> new ConfigFault("unknown protocol '" + name + "' (known: simple, ll)"));
    }
}
