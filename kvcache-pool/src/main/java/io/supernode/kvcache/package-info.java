/**
 * A pooled, paged KV cache in the global address space (issue 5): blocks with real contents, a
 * chained-hash prefix index, the local-only, pooled-unified and pooled-copy serving paths, and
 * Mooncake trace replay. Nothing is here yet but the module's place in the build.
 */
package io.supernode.kvcache;
