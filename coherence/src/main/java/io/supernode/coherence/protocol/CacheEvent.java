package io.supernode.coherence.protocol;

/** What a cache controller reacts to (Primer, Table 8.1): its core's requests and arriving messages. */
public enum CacheEvent {
    LOAD("Load"), STORE("Store"), REPLACEMENT("Replacement"), FWD_GETS("Fwd-GetS"), FWD_GETM("Fwd-GetM"),
    INV("Inv"), PUT_ACK("Put-Ack"), DATA_FROM_DIR_ACK0("Data from Dir (ack=0)"),
    DATA_FROM_DIR_ACKS("Data from Dir (ack>0)"), DATA_FROM_OWNER("Data from Owner"),
    EXCLUSIVE_DATA("Exclusive Data from Dir"), INV_ACK("Inv-Ack"),
    LAST_INV_ACK("Last-Inv-Ack");

    private final String textbook;

    CacheEvent(String textbook) {
        this.textbook = textbook;
    }

    /** The column heading the textbook prints. */
    public String textbook() {
        return textbook;
    }
}
