/**
 * Directory-based cache coherence over the global address space (issue 4): MSI and MESI
 * controllers as transition tables, deterministic and concurrent transports, the {@code COHERENT}
 * access mode, invariant and litmus checkers and an exhaustive explorer. Nothing is here yet but
 * the module's place in the build; it depends on {@code gas-core} only.
 */
package io.supernode.coherence;
