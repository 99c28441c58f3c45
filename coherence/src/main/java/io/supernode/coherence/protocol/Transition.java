package io.supernode.coherence.protocol;

import java.util.ArrayList;
import java.util.List;

/**
 * One table entry: the actions to take, in order, and the next state; or a stall (the event waits and is
 * retried later, nothing changes).
 *
 * @param actions what to do
 * @param next    the state afterwards
 * @param waits   whether the event must wait (a stall)
 * @param <S>     the state type
 * @param <A>     the action type
 */
public record Transition<S, A>(List<A> actions, S next, boolean waits) {

    /** Do {@code actions} and move to {@code next}. */
    @SafeVarargs
    public static <S, A> Transition<S, A> to(S next, A... actions) {
        // Copied element by element, not passed on as varargs: the generic array stays in this method.
        List<A> list = new ArrayList<>(actions.length);
        for (A action : actions) {
            list.add(action);
        }
        return new Transition<>(List.copyOf(list), next, false);
    }

    /** The event waits. */
    public static <S, A> Transition<S, A> stall() {
        return new Transition<>(List.of(), null, true);
    }
}
