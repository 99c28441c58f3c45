/**
 * Directory-based cache coherence over the global address space. So far: the MSI directory protocol of
 * the Primer (Nagarajan, Sorin, Hill, Wood, ch. 8) as pure transition tables ({@code protocol}), a
 * deterministic transport whose every next step can be enumerated ({@code transport}), and invariant
 * checkers with an exhaustive explorer that also catches deliberately broken variants ({@code check}).
 * The concurrent transport, the COHERENT access mode, MESI, jqwik action chains and litmus tests are
 * still to come.
 */
package io.supernode.coherence;
