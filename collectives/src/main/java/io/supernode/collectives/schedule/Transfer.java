package io.supernode.collectives.schedule;

/**
 * One movement of a schedule: {@code elements} elements from {@code from}'s {@code source} buffer at element
 * {@code sourceElement} to {@code to}'s {@code target} buffer at {@code targetElement}. A reducing transfer
 * combines instead of copying: {@code target = op(incoming, target)}, element by element. A transfer with
 * {@code from == to} is a copy or reduction inside the rank's own memory.
 *
 * @param from          sending rank
 * @param to            receiving rank
 * @param source        buffer read at the sender
 * @param sourceElement first element read
 * @param target        buffer written at the receiver
 * @param targetElement first element written
 * @param elements      elements moved (at least 1)
 * @param reduce        whether the receiver combines rather than overwrites
 */
public record Transfer(int from, int to, Buffer source, long sourceElement, Buffer target, long targetElement,
                       long elements, boolean reduce) {

    /** Whether the transfer stays inside one rank's memory. */
    public boolean local() {
        return from == to;
    }
}
