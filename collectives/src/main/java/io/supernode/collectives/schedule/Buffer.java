package io.supernode.collectives.schedule;

/** The buffers every rank holds for one collective, in its own node's memory. */
public enum Buffer {
    /** What the rank contributes; never written. */
    INPUT,
    /** What the rank ends with. */
    OUTPUT,
    /** Scratch the algorithm reduces or gathers in before the result is copied out. */
    WORK
}
