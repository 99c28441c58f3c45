/**
 * The emulated supernode: {@link io.supernode.gas.Supernode} boots nodes with reserved memory,
 * maps a global address space over them and hands out each node's unified access path.
 *
 * <p>Layers, one package each: {@code memory} (reserved node memory and its allocator),
 * {@code address} (regions, placements, translation), {@code access} (the unified load/store
 * path), {@code fabric} (link profiles, topologies, the cost model), {@code time} (virtual
 * clocks), {@code stats} (counters and their export), {@code fault} (typed faults).
 */
package io.supernode.gas;
