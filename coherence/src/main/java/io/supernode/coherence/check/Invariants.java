package io.supernode.coherence.check;

import io.supernode.coherence.protocol.CacheLine;
import io.supernode.coherence.protocol.CacheState;
import io.supernode.coherence.protocol.DirLine;
import io.supernode.coherence.protocol.DirState;
import io.supernode.coherence.transport.CoherenceSystem;

/** The invariants a coherence protocol must keep, checked on a {@link CoherenceSystem}. */
public final class Invariants {

    private Invariants() {
    }

    /**
     * Single writer, multiple readers for every line (an E copy counts as a writer: it may become M
     * silently), and every load so far returned the last write.
     *
     * @throws CoherenceViolation naming the line and the nodes involved
     */
    public static void checkAlways(CoherenceSystem s) {
        for (int l = 0; l < s.lines(); l++) {
            int writer = -1;
            int readers = 0;
            for (int n = 0; n < s.nodes(); n++) {
                CacheState state = s.cache(n, l).state();
                if (state.exclusive()) {
                    if (writer >= 0) {
                        throw new CoherenceViolation(CoherenceViolation.Kind.SWMR, "N" + writer + " and N" + n
                                + " both hold line " + l + " exclusively");
                    }
                    writer = n;
                } else if (state.readable()) {
                    readers |= 1 << n;
                }
            }
            if (writer >= 0 && readers != 0) {
                throw new CoherenceViolation(CoherenceViolation.Kind.SWMR, "N" + writer + " holds line " + l
                        + " exclusively (" + s.cache(writer, l).state().textbook() + ") while " + names(readers)
                        + " can still read it");
            }
        }
        if (s.dataValueError() != null) {
            throw new CoherenceViolation(CoherenceViolation.Kind.DATA_VALUE, s.dataValueError());
        }
    }

    /**
     * At quiescence the directory agrees with the caches: I means nobody holds the line; S means exactly
     * the sharers hold it readable, with memory current; E means exactly the owner holds it, in E (memory
     * current) or in M (written silently); M means exactly the owner holds it in M.
     */
    public static void checkQuiescent(CoherenceSystem s) {
        for (int l = 0; l < s.lines(); l++) {
            DirLine d = s.directory(l);
            for (int n = 0; n < s.nodes(); n++) {
                CacheLine c = s.cache(n, l);
                boolean shouldRead = switch (d.state()) {
                    case I, S_D -> false;
                    case S -> (d.sharers() & (1 << n)) != 0;
                    case E, M -> d.owner() == n;
                };
                boolean agrees = switch (d.state()) {
                    case I -> c.state() == CacheState.I;
                    case S -> shouldRead ? c.state() == CacheState.S && c.value() == d.memory() : c.state() == CacheState.I;
                    case E -> shouldRead ? c.state() == CacheState.M
                            || c.state() == CacheState.E && c.value() == d.memory() : c.state() == CacheState.I;
                    case M -> shouldRead ? c.state() == CacheState.M : c.state() == CacheState.I;
                    case S_D -> false;
                };
                if (!agrees) {
                    throw new CoherenceViolation(CoherenceViolation.Kind.DISAGREEMENT, "at quiescence the directory has line "
                            + l + " in " + d.state().textbook() + " (sharers " + names(d.sharers())
                            + ", owner " + d.owner() + ", memory " + d.memory() + ") but N" + n + " is in "
                            + c.state().textbook() + " with " + c.value());
                }
            }
            boolean ownerMayBeDirty = d.state() == DirState.M
                    || d.state() == DirState.E && s.cache(d.owner(), l).state() == CacheState.M;
            if (!ownerMayBeDirty && d.memory() != s.lastWrite(l)) {
                throw new CoherenceViolation(CoherenceViolation.Kind.DISAGREEMENT, "at quiescence memory holds " + d.memory()
                        + " for line " + l + " but the last write was " + s.lastWrite(l));
            }
        }
    }

    /** Node names of a bitmask, e.g. {@code N0, N2}. */
    static String names(int mask) {
        StringBuilder out = new StringBuilder();
        for (int n = 0; n < Integer.SIZE; n++) {
            if ((mask & (1 << n)) != 0) {
                out.append(out.isEmpty() ? "" : ", ").append('N').append(n);
            }
        }
        return out.isEmpty() ? "none" : out.toString();
    }
}
