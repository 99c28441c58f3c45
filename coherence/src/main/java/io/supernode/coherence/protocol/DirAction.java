package io.supernode.coherence.protocol;

/** What the directory does (the action column of the Primer's Table 8.2). */
public enum DirAction {
    SEND_DATA_TO_REQ("send data to Req"), SEND_EXCLUSIVE_DATA_TO_REQ("send Exclusive data to Req"), SEND_DATA_TO_REQ_WITH_ACKS("send data to Req (ack = sharers - Req)"),
    SEND_INV_TO_SHARERS("send Inv to Sharers"), SEND_INV_TO_ALL_BUT_ONE_SHARER("send Inv to Sharers but one (BROKEN)"),
    ADD_REQ_TO_SHARERS("add Req to Sharers"), ADD_OWNER_TO_SHARERS("add Owner to Sharers"),
    REMOVE_REQ_FROM_SHARERS("remove Req from Sharers"), CLEAR_SHARERS("clear Sharers"),
    SET_OWNER_TO_REQ("set Owner to Req"), CLEAR_OWNER("clear Owner"), SEND_FWD_GETS_TO_OWNER("send Fwd-GetS to Owner"),
    SEND_FWD_GETM_TO_OWNER("send Fwd-GetM to Owner"), SEND_PUT_ACK_TO_REQ("send Put-Ack to Req"),
    COPY_DATA_TO_MEMORY("copy data to memory");

    private final String textbook;

    DirAction(String textbook) {
        this.textbook = textbook;
    }

    /** The wording the textbook uses. */
    public String textbook() {
        return textbook;
    }
}
