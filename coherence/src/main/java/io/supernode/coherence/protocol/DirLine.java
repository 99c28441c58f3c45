package io.supernode.coherence.protocol;

/**
 * The directory's entry for one line.
 *
 * @param state   its protocol state
 * @param sharers bit n set when node n may hold a copy
 * @param owner   the node holding it in M, or -1
 * @param memory  the line's value in memory
 */
public record DirLine(DirState state, int sharers, int owner, int memory) {

    /** Nobody caches the line; memory holds {@code value}. */
    public static DirLine idle(int value) {
        return new DirLine(DirState.I, 0, -1, value);
    }
}
