package io.supernode.coherence.protocol;

/** What a cache controller does (the action column of the Primer's Table 8.1). */
public enum CacheAction {
    SEND_GETS("send GetS to Dir"), SEND_GETM("send GetM to Dir"), SEND_PUTS("send PutS to Dir"),
    SEND_PUTE("send PutE to Dir"),
    SEND_PUTM("send PutM+data to Dir"), SEND_DATA_TO_REQ("send data to Req"),
    SEND_DATA_TO_REQ_AND_DIR("send data to Req and Dir"), SEND_INV_ACK_TO_REQ("send Inv-Ack to Req"),
    HIT("hit"), COPY_DATA("copy data"), SET_ACKS("acks += ack count"), DEC_ACKS("acks -= 1"),
    COMPLETE("complete the core's request");

    private final String textbook;

    CacheAction(String textbook) {
        this.textbook = textbook;
    }

    /** The wording the textbook uses. */
    public String textbook() {
        return textbook;
    }
}
