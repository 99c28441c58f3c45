/**
 * Directory-based cache coherence over the global address space: the MSI and MESI directory protocols of
 * the Primer (Nagarajan, Sorin, Hill, Wood, ch. 8) as pure transition tables ({@code protocol}); a
 * deterministic transport whose every next step can be enumerated and a concurrent one with a thread per
 * controller ({@code transport}); invariant checkers with an exhaustive explorer and litmus tests against a
 * sequential-consistency reference, which also catch deliberately broken variants ({@code check}); and the
 * COHERENT access mode, whose regions every node caches in its own memory ({@code access}), with its
 * {@code DataPath} of kind COHERENT.
 */
package io.supernode.coherence;
