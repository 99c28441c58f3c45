package io.supernode.coherence.access;

import io.supernode.coherence.protocol.ProtocolVariant;
import io.supernode.gas.fault.ConfigFault;

/**
 * How a coherence domain runs its protocol: which variant of the tables, and whether every access is checked.
 *
 * @param variant the protocol's tables: {@link ProtocolVariant#CORRECT}, or a deliberately broken variant to
 *                show what the checks catch
 * @param checked whether every access goes through its line's lock and is checked: single writer, multiple
 *                readers over every node's copy after each message, and every load and store against the line's
 *                last written bytes; a broken invariant is a {@link io.supernode.coherence.check.CoherenceViolation}
 *                and the domain refuses every later access with it. Off by default: hits then take no lock.
 */
public record CoherenceMode(ProtocolVariant variant, boolean checked) {

    /** The correct protocol, unchecked: the fast mode, in which hits take no lock. */
    public static final CoherenceMode FAST = new CoherenceMode(ProtocolVariant.CORRECT, false);
    /** The correct protocol with every access checked. */
    public static final CoherenceMode CHECKED = new CoherenceMode(ProtocolVariant.CORRECT, true);

    /** Validates the mode. */
    public CoherenceMode {
        if (variant == null) {
            throw new ConfigFault("a coherence mode needs a protocol variant");
        }
    }

    /** {@code variant} with every access checked. */
    public static CoherenceMode checked(ProtocolVariant variant) {
        return new CoherenceMode(variant, true);
    }
}
