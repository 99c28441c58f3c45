package io.supernode.coherence.protocol;

/**
 * The correct protocol and deliberately broken variants of it, each a bug a real implementation could
 * have. The checkers must catch every broken variant; a test says so.
 */
public enum ProtocolVariant {
    /** The Primer's MSI directory protocol. */
    CORRECT,
    /** The directory forgets to invalidate one sharer on S + GetM. */
    DIRECTORY_FORGETS_ONE_INV,
    /** The directory's Data on S + GetM carries ack count 0, so the requestor does not wait for Inv-Acks. */
    DATA_ACK_ZERO_ON_S_GETM,
    /** The owner stays in M after answering a Fwd-GetS. */
    OWNER_STAYS_M_AFTER_FWD_GETS,
    /** The forward network loses point-to-point order, so a Put-Ack can overtake a forwarded request. */
    UNORDERED_FORWARD_NETWORK;

    /**
     * Whether renaming the caches renames this variant's behaviour and nothing else, as symmetry reduction
     * needs: not for {@link #DIRECTORY_FORGETS_ONE_INV}, which forgets the lowest-numbered sharer.
     */
    public boolean symmetricInNodes() {
        return this != DIRECTORY_FORGETS_ONE_INV;
    }
}
