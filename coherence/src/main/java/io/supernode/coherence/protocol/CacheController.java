package io.supernode.coherence.protocol;

import java.util.ArrayList;
import java.util.List;

/**
 * A cache controller as a pure function: (line, event) -> (line', messages out, completed request). It
 * interprets the actions its {@link ProtocolTable} names and keeps no state of its own.
 */
public final class CacheController {

    private final ProtocolTable<CacheState, CacheEvent, CacheAction> table;

    /** A controller following {@code table}. */
    public CacheController(ProtocolTable<CacheState, CacheEvent, CacheAction> table) {
        this.table = table;
    }

    /** The table it follows. */
    public ProtocolTable<CacheState, CacheEvent, CacheAction> table() {
        return table;
    }

    /**
     * The result of one event.
     *
     * @param line      the line afterwards
     * @param out       the list the messages sent were appended to: one of their own unless the caller gave one
     * @param completed whether the core's outstanding request completed
     * @param loaded    the value a completed load returns
     */
    public record Result(CacheLine line, List<Message> out, boolean completed, int loaded) {
    }

    /** Which event an arriving message is for a cache in {@code line}'s state. */
    public static CacheEvent classify(CacheLine line, Message m) {
        return switch (m.type()) {
            case FWD_GETS -> CacheEvent.FWD_GETS;
            case FWD_GETM -> CacheEvent.FWD_GETM;
            case INV -> CacheEvent.INV;
            case PUT_ACK -> CacheEvent.PUT_ACK;
            case EXCLUSIVE_DATA -> CacheEvent.EXCLUSIVE_DATA;
            case DATA -> m.source() != Message.DIRECTORY ? CacheEvent.DATA_FROM_OWNER
                    : m.ackCount() + line.acks() == 0 ? CacheEvent.DATA_FROM_DIR_ACK0 : CacheEvent.DATA_FROM_DIR_ACKS;
            case INV_ACK -> (line.state() == CacheState.IM_A || line.state() == CacheState.SM_A) && line.acks() == 1
                    ? CacheEvent.LAST_INV_ACK : CacheEvent.INV_ACK;
            default -> throw new ProtocolError("a cache cannot receive " + m.type().textbook());
        };
    }

    /** Whether {@code event} must wait in {@code line}'s state. */
    public boolean stalls(CacheLine line, CacheEvent event) {
        return table.lookup(line.state(), event).waits();
    }

    /**
     * Handles {@code event} at {@code node} for {@code lineId}; {@code message} is the arriving message (null
     * for core events) and {@code op} the core's outstanding request (null if none).
     */
    public Result handle(int node, int lineId, CacheLine line, CacheEvent event, Message message, CoreOp op) {
        return handle(node, lineId, line, event, message, op, new ArrayList<>(2));
    }

    /**
     * As {@link #handle(int, int, CacheLine, CacheEvent, Message, CoreOp)}, appending the messages sent to
     * {@code out} (the result's list), for a caller that keeps its messages in flight in one list anyway.
     */
    public Result handle(int node, int lineId, CacheLine line, CacheEvent event, Message message, CoreOp op,
                         List<Message> out) {
        Transition<CacheState, CacheAction> t = table.lookup(line.state(), event);
        if (t.waits()) {
            throw new ProtocolError("cache N" + node + ": " + event + " stalls in " + line.state() + " and must not be handled");
        }
        int value = line.value();
        int acks = line.acks();
        boolean completed = false;
        int loaded = 0;
        for (CacheAction a : t.actions()) {
            switch (a) {
                case SEND_GETS -> out.add(new Message(MessageType.GETS, node, Message.DIRECTORY, lineId, node, 0, 0));
                case SEND_GETM -> out.add(new Message(MessageType.GETM, node, Message.DIRECTORY, lineId, node, 0, 0));
                case SEND_PUTS -> out.add(new Message(MessageType.PUTS, node, Message.DIRECTORY, lineId, node, 0, 0));
                case SEND_PUTE -> out.add(new Message(MessageType.PUTE, node, Message.DIRECTORY, lineId, node, 0, 0));
                case SEND_PUTM -> out.add(new Message(MessageType.PUTM, node, Message.DIRECTORY, lineId, node, 0, value));
                case SEND_DATA_TO_REQ -> out.add(new Message(MessageType.DATA, node, message.requestor(), lineId,
                        message.requestor(), 0, value));
                case SEND_DATA_TO_REQ_AND_DIR -> {
                    out.add(new Message(MessageType.DATA, node, message.requestor(), lineId, message.requestor(), 0, value));
                    out.add(new Message(MessageType.DATA, node, Message.DIRECTORY, lineId, message.requestor(), 0, value));
                }
                case SEND_INV_ACK_TO_REQ -> out.add(new Message(MessageType.INV_ACK, node, message.requestor(), lineId,
                        message.requestor(), 0, 0));
                case COPY_DATA -> value = message.value();
                case SET_ACKS -> acks += message.ackCount();
                case DEC_ACKS -> acks -= 1;
                case HIT, COMPLETE -> {
                    completed = true;
                    if (op.event() == CacheEvent.STORE) {
                        value = op.value();
                    } else {
                        loaded = value;
                    }
                }
            }
        }
        return new Result(new CacheLine(t.next(), value, acks), out, completed, loaded);
    }
}
