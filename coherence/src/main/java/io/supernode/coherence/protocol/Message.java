package io.supernode.coherence.protocol;

/**
 * One protocol message about one line.
 *
 * @param type      what it is
 * @param source    sending node (the directory is node {@link #DIRECTORY})
 * @param target    receiving node
 * @param line      the line it is about
 * @param requestor the node whose request caused it (for forwards, Inv and Data to a requestor)
 * @param ackCount  on Data from the directory: how many Inv-Acks the requestor must collect
 * @param value     the line's value, for messages that carry data
 */
public record Message(MessageType type, int source, int target, int line, int requestor, int ackCount, int value) {

    /** The directory's node id in messages. */
    public static final int DIRECTORY = -1;

    @Override
    public String toString() {
        return type.textbook() + "(" + name(source) + "->" + name(target) + ", line " + line
                + (type == MessageType.DATA || type == MessageType.EXCLUSIVE_DATA ? ", v=" + value + (source == DIRECTORY && type == MessageType.DATA ? ", acks=" + ackCount : "") : "")
                + (type == MessageType.PUTM ? ", v=" + value : "") + ")";
    }

    /** {@code Dir} or {@code N3}. */
    public static String name(int node) {
        return node == DIRECTORY ? "Dir" : "N" + node;
    }
}
