package io.supernode.gas.fabric;

/** How far an access travels; the cost model charges by class. */
public enum RouteClass {
    /** The issuing node's own memory: no link is crossed. */
    LOCAL,
    /** Another node under the same first-tier switch (in CloudMatrix384, the same board). */
    SAME_GROUP,
    /** Another node reached through the second switch tier (in CloudMatrix384, another board). */
    CROSS_GROUP
}
