package io.supernode.gas;

/**
 * Something layered on a machine that keeps state in its nodes' memories (a coherence domain's line
 * caches, for one) and must act before that memory goes away. A {@link Supernode} calls its attachments
 * before it unmaps a node's memory, so they can write back what they hold there and stop using it.
 */
public interface Attachment {

    /**
     * Node {@code node} is about to close: its memory is still mapped during this call and unmapped
     * right after it.
     */
    void nodeClosing(int node);

    /** The whole machine is about to close; every node's memory is unmapped right after this call. */
    void machineClosing();
}
