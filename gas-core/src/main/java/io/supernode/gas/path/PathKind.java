package io.supernode.gas.path;

import io.supernode.gas.config.OptionNames;
import io.supernode.gas.fault.ConfigFault;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The ways a node reaches bytes that live in another node's memory: the one vocabulary every workload,
 * the sweep and the command line use. The first three are the unified (load/store) side, the last three
 * the copy-based side of stacked servers. Which bytes a workload caches, and where, is the workload's
 * policy, not a path.
 */
public enum PathKind {
    /** Loads and stores in place: a word is one load, a range a zero-copy view charged as reading it. */
    UNIFIED_LOAD("unified load"),
    /** Bulk copies between global addresses and a local buffer over the load/store fabric. */
    UNIFIED_COPY("unified copy"),
    /** Loads and stores through a coherent per-node line cache (the coherence module's COHERENT regions). */
    COHERENT("coherent load"),
    /** Two-sided messages: the holder sends, the reader receives (both programs take part). */
    SEND_RECV("send recv"),
    /** A request to the owner's service, which copies out (or in) and replies. */
    RPC("rpc read"),
    /** RDMA-style get and put by copy: the owner's NIC answers, no owner software runs. */
    ONE_SIDED("one sided get");

    private final String readLabel;

    PathKind(String readLabel) {
        this.readLabel = readLabel;
    }

    /** Whether the path is load/store into the global address space (no messages of its own). */
    public boolean unified() {
        return ordinal() <= COHERENT.ordinal();
    }

    /** What reading through this path is called in tables and charts, e.g. {@code rpc read}. */
    public String label() {
        return readLabel;
    }

    /**
     * The path named {@code name}: its constant's name or its label, case-insensitive, '-', '_' or ' '
     * between words; the sweep's older names {@code RPC_READ} and {@code ONE_SIDED_GET} are its labels.
     *
     * @throws ConfigFault naming the known paths when none matches
     */
    public static PathKind byName(String name) {
        String wanted = name == null ? "" : name.trim().toUpperCase(Locale.ROOT).replace('-', '_').replace(' ', '_');
        for (PathKind kind : values()) {
            if (kind.name().equals(wanted) || kind.readLabel.toUpperCase(Locale.ROOT).replace(' ', '_').equals(wanted)) {
                return kind;
            }
        }
        throw new ConfigFault("unknown path '" + name + "' (known: "
                + Arrays.stream(values()).map(OptionNames::label).collect(Collectors.joining(", ")) + ")");
    }
}
