/**
 * One way to move data over every path. {@link io.supernode.gas.path.PathKind} names the paths (load/store
 * in place, bulk copy over the load/store fabric, coherent, send/receive, RPC, one-sided);
 * {@link io.supernode.gas.path.DataPath} is one node's reads, writes and offers on one of them, so a
 * workload written against it runs unchanged on all. {@link io.supernode.gas.path.FabricPair} names the
 * fabric pairs the paths are compared on: a load/store fabric and the copy stack stacked servers of the
 * same shape would use.
 */
package io.supernode.gas.path;
