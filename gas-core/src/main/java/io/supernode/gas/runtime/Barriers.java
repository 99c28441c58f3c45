package io.supernode.gas.runtime;

import io.supernode.gas.fabric.RouteClass;
import io.supernode.gas.messaging.MessagePlane;

/** The modeled cost of a barrier among n nodes. */
final class Barriers {

    private Barriers() {
    }

    /**
     * A dissemination barrier (Hensgen, Finkel and Manber, 1988): ceil(log2 n) rounds, each one empty
     * message across the machine's widest route on the message plane (assumption: no hardware barrier).
     */
    static long costNanos(MessagePlane plane, int nodes) {
        int rounds = nodes <= 1 ? 0 : 32 - Integer.numberOfLeadingZeros(nodes - 1);
        RouteClass widest = plane.machine().topology().twoTier() ? RouteClass.CROSS_GROUP : RouteClass.SAME_GROUP;
        return rounds * plane.messageNanos(widest, 0);
    }
}
