package io.supernode.kvcache.serve;

/**
 * What serving one request's prefill took, in blocks, tokens, modeled fabric cost and real bytes.
 *
 * @param node              the serving node
 * @param blocks            prompt blocks
 * @param localHits         blocks reused from the node's own memory
 * @param remoteHits        blocks reused from another node's HBM (pooled paths)
 * @param lowerTierHits     blocks reused from a DRAM or SSD tier (the node's own, or any node's when pooled)
 * @param costRejected      pooled blocks recomputed because fetching them was modeled dearer than recomputing
 * @param hitTokens         prompt tokens whose KV was reused: prefill compute saved
 * @param computeTokens     prompt tokens prefilled
 * @param fetchNanos        modeled time reading or fetching reused blocks, on the path to the first token
 * @param fabricBytes       modeled KV bytes over the fabric (reads, fetches, and blocks stored on other nodes)
 * @param messages          modeled messages (the copy path's requests and replies)
 * @param payloadBytes      real payload bytes that moved between nodes' memories
 * @param kvTransferNanos   modeled time to move the prompt's KV to its decode node (0 when prefill and decode share
 *                          the node)
 * @param replicas          blocks copied to this node because they were hot
 * @param notCached         computed blocks no node had room for
 * @param digest            the decode output's digest (0 without payload)
 */
public record ServeOutcome(int node, int blocks, int localHits, int remoteHits, int lowerTierHits,
                           int costRejected, long hitTokens,
                           long computeTokens, long fetchNanos, long fabricBytes, long messages, long payloadBytes,
                           long kvTransferNanos, int replicas, int notCached, long digest) {
}
