package io.supernode.coherence.protocol;

import java.util.ArrayList;
import java.util.List;

/** The directory controller as a pure function: (entry, message) -> (entry', messages out). */
public final class DirectoryController {

    private final ProtocolTable<DirState, DirEvent, DirAction> table;

    /** A controller following {@code table}. */
    public DirectoryController(ProtocolTable<DirState, DirEvent, DirAction> table) {
        this.table = table;
    }

    /** The table it follows. */
    public ProtocolTable<DirState, DirEvent, DirAction> table() {
        return table;
    }

    /**
     * The result of one message.
     *
     * @param line the entry afterwards
     * @param out  the list the messages sent were appended to: one of their own unless the caller gave one
     */
    public record Result(DirLine line, List<Message> out) {
    }

    /** Which event {@code m} is for the directory in {@code line}'s state. */
    public static DirEvent classify(DirLine line, Message m) {
        int req = 1 << m.source();
        return switch (m.type()) {
            case GETS -> DirEvent.GETS;
            case GETM -> DirEvent.GETM;
            case PUTS -> line.sharers() == req ? DirEvent.PUTS_LAST : DirEvent.PUTS_NOT_LAST;
            case PUTM -> m.source() == line.owner() ? DirEvent.PUTM_FROM_OWNER : DirEvent.PUTM_FROM_NON_OWNER;
            case PUTE -> m.source() == line.owner() ? DirEvent.PUTE_FROM_OWNER : DirEvent.PUTE_FROM_NON_OWNER;
            case DATA -> DirEvent.DATA;
            default -> throw new ProtocolError("the directory cannot receive " + m.type().textbook());
        };
    }

    /** Whether {@code m} must wait in {@code line}'s state. */
    public boolean stalls(DirLine line, Message m) {
        return table.lookup(line.state(), classify(line, m)).waits();
    }

    /** Handles {@code m} for {@code lineId}. */
    public Result handle(int lineId, DirLine line, Message m) {
        return handle(lineId, line, m, new ArrayList<>(4));
    }

    /**
     * As {@link #handle(int, DirLine, Message)}, appending the messages sent to {@code out} (the result's list),
     * for a caller that keeps its messages in flight in one list anyway.
     */
    public Result handle(int lineId, DirLine line, Message m, List<Message> out) {
        DirEvent event = classify(line, m);
        Transition<DirState, DirAction> t = table.lookup(line.state(), event);
        if (t.waits()) {
            throw new ProtocolError("directory: " + event + " stalls in " + line.state() + " and must not be handled");
        }
        int sharers = line.sharers();
        int owner = line.owner();
        int memory = line.memory();
        int req = m.source();
        for (DirAction a : t.actions()) {
            switch (a) {
                case SEND_DATA_TO_REQ -> out.add(new Message(MessageType.DATA, Message.DIRECTORY, req, lineId, req, 0, memory));
                case SEND_EXCLUSIVE_DATA_TO_REQ -> out.add(new Message(MessageType.EXCLUSIVE_DATA, Message.DIRECTORY, req,
                        lineId, req, 0, memory));
                case SEND_DATA_TO_REQ_WITH_ACKS -> out.add(new Message(MessageType.DATA, Message.DIRECTORY, req, lineId, req,
                        Integer.bitCount(sharers & ~(1 << req)), memory));
                case SEND_INV_TO_SHARERS, SEND_INV_TO_ALL_BUT_ONE_SHARER -> {
                    int targets = sharers & ~(1 << req);
                    if (a == DirAction.SEND_INV_TO_ALL_BUT_ONE_SHARER && targets != 0) {
                        targets &= targets - 1;
                    }
                    for (int rest = targets; rest != 0; rest &= rest - 1) {
                        out.add(new Message(MessageType.INV, Message.DIRECTORY, Integer.numberOfTrailingZeros(rest),
                                lineId, req, 0, 0));
                    }
                }
                case ADD_REQ_TO_SHARERS -> sharers |= 1 << req;
                case ADD_OWNER_TO_SHARERS -> sharers |= 1 << owner;
                case REMOVE_REQ_FROM_SHARERS -> sharers &= ~(1 << req);
                case CLEAR_SHARERS -> sharers = 0;
                case SET_OWNER_TO_REQ -> owner = req;
                case CLEAR_OWNER -> owner = -1;
                case SEND_FWD_GETS_TO_OWNER -> out.add(new Message(MessageType.FWD_GETS, Message.DIRECTORY, owner, lineId, req, 0, 0));
                case SEND_FWD_GETM_TO_OWNER -> out.add(new Message(MessageType.FWD_GETM, Message.DIRECTORY, owner, lineId, req, 0, 0));
                case SEND_PUT_ACK_TO_REQ -> out.add(new Message(MessageType.PUT_ACK, Message.DIRECTORY, req, lineId, req, 0, 0));
                case COPY_DATA_TO_MEMORY -> memory = m.value();
            }
        }
        return new Result(new DirLine(t.next(), sharers, owner, memory), out);
    }
}
