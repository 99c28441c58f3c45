package io.supernode.collectives.run;

import io.supernode.gas.fault.ConfigFault;
import io.supernode.gas.path.PathKind;

import java.util.List;
import java.util.Locale;

/** The two ways a collective moves its data, compared side by side. */
public enum Transport {
    /**
     * Stores into the peers' buffers in the global address space, each followed by a signal the receiver
     * waits on ({@link PathKind#UNIFIED_LOAD}: put-with-signal, wait-until), reductions done by the receiver
     * in place.
     */
    UNIFIED(PathKind.UNIFIED_LOAD),
    /** Two-sided messages through the machine's copy stack ({@link PathKind#SEND_RECV}), every stage made for real. */
    COPY(PathKind.SEND_RECV);

    private final PathKind kind;

    Transport(PathKind kind) {
        this.kind = kind;
    }

    /** The data path this transport moves bytes over. */
    public PathKind kind() {
        return kind;
    }

    /**
     * The transports a {@code --paths} value names: {@code both}, or one by {@link #byName}.
     *
     * @throws ConfigFault naming the known transports
     */
    public static List<Transport> listed(String name) {
        return name != null && name.trim().equalsIgnoreCase("both") ? List.of(values()) : List.of(byName(name));
    }

    /**
     * The transport with this name, any case.
     *
     * @throws ConfigFault naming the known transports
     */
    public static Transport byName(String name) {
        return switch (name == null ? "" : name.trim().toLowerCase(Locale.ROOT)) {
            case "unified" -> UNIFIED;
            case "copy" -> COPY;
            default -> throw new ConfigFault("unknown path '" + name + "' (known: unified, copy)");
        };
    }
}
