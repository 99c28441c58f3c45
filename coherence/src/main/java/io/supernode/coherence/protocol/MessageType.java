package io.supernode.coherence.protocol;

/** Protocol messages and the virtual network each travels on. */
public enum MessageType {
    GETS("GetS", VirtualNetwork.REQUEST), GETM("GetM", VirtualNetwork.REQUEST), PUTS("PutS", VirtualNetwork.REQUEST),
    PUTM("PutM+data", VirtualNetwork.REQUEST),
    PUTE("PutE", VirtualNetwork.REQUEST), FWD_GETS("Fwd-GetS", VirtualNetwork.FORWARD),
    FWD_GETM("Fwd-GetM", VirtualNetwork.FORWARD), INV("Inv", VirtualNetwork.FORWARD),
    PUT_ACK("Put-Ack", VirtualNetwork.FORWARD), DATA("Data", VirtualNetwork.RESPONSE),
    EXCLUSIVE_DATA("Exclusive-Data", VirtualNetwork.RESPONSE),
    INV_ACK("Inv-Ack", VirtualNetwork.RESPONSE);

    private final String textbook;
    private final VirtualNetwork network;

    MessageType(String textbook, VirtualNetwork network) {
        this.textbook = textbook;
        this.network = network;
    }

    /** The name the textbook prints. */
    public String textbook() {
        return textbook;
    }

    /** The virtual network this message travels on. */
    public VirtualNetwork network() {
        return network;
    }
}
