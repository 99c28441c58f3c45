/**
 * A pooled, paged KV cache in the global address space. {@code block} says how a block's bytes are
 * laid out; {@code model} computes them (a tiny seeded attention model) and models serving time;
 * {@code index} keys blocks by chained hashes and keeps each node's LRU and the machine-wide view;
 * {@code trace} reads Mooncake traces and generates workloads; {@code serve} runs the local-only,
 * pooled-unified and pooled-copy paths and replays traces in virtual time.
 */
package io.supernode.kvcache;
