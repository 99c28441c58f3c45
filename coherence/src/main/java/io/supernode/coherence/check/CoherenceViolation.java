package io.supernode.coherence.check;

/** A run of the protocol broke an invariant; the message names it and the state it happened in. */
public final class CoherenceViolation extends RuntimeException {

    /** The invariant that broke. */
    public enum Kind {
        /** A writable copy beside another copy of the same line. */
        SWMR,
        /** A load returned something other than the last write in the line's coherence order. */
        DATA_VALUE,
        /** An event arrived in a state the protocol has no transition for. */
        NO_TRANSITION,
        /** Requests are outstanding and nothing can happen. */
        DEADLOCK,
        /** At quiescence, the directory's view disagrees with the caches. */
        DISAGREEMENT
    }

    private final Kind kind;

    /** Creates the violation. */
    public CoherenceViolation(Kind kind, String message) {
        super(kind + ": " + message);
        this.kind = kind;
    }

    /** Which invariant broke. */
    public Kind kind() {
        return kind;
    }
}
