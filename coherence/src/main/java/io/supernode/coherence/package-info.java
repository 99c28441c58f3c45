/**
 * Directory-based cache coherence over the global address space. So far: the MSI directory protocol of
 * the Primer (Nagarajan, Sorin, Hill, Wood, ch. 8) as pure transition tables ({@code protocol}), a
 * deterministic transport whose every next step can be enumerated ({@code transport}), and invariant
 * checkers with an exhaustive explorer and litmus tests against a sequential-consistency reference,
 * which also catch deliberately broken variants ({@code check}). The concurrent transport, the
 * COHERENT access mode and MESI are still to come.
 */
package io.supernode.coherence;
