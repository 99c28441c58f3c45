package io.supernode.coherence.protocol;

import static io.supernode.coherence.protocol.CacheAction.COMPLETE;
import static io.supernode.coherence.protocol.CacheAction.COPY_DATA;
import static io.supernode.coherence.protocol.CacheAction.DEC_ACKS;
import static io.supernode.coherence.protocol.CacheAction.HIT;
import static io.supernode.coherence.protocol.CacheAction.SEND_DATA_TO_REQ;
import static io.supernode.coherence.protocol.CacheAction.SEND_DATA_TO_REQ_AND_DIR;
import static io.supernode.coherence.protocol.CacheAction.SEND_GETM;
import static io.supernode.coherence.protocol.CacheAction.SEND_GETS;
import static io.supernode.coherence.protocol.CacheAction.SEND_INV_ACK_TO_REQ;
import static io.supernode.coherence.protocol.CacheAction.SEND_PUTM;
import static io.supernode.coherence.protocol.CacheAction.SEND_PUTS;
import static io.supernode.coherence.protocol.CacheAction.SET_ACKS;
import static io.supernode.coherence.protocol.CacheEvent.DATA_FROM_DIR_ACK0;
import static io.supernode.coherence.protocol.CacheEvent.DATA_FROM_DIR_ACKS;
import static io.supernode.coherence.protocol.CacheEvent.DATA_FROM_OWNER;
import static io.supernode.coherence.protocol.CacheEvent.FWD_GETM;
import static io.supernode.coherence.protocol.CacheEvent.FWD_GETS;
import static io.supernode.coherence.protocol.CacheEvent.INV;
import static io.supernode.coherence.protocol.CacheEvent.INV_ACK;
import static io.supernode.coherence.protocol.CacheEvent.LAST_INV_ACK;
import static io.supernode.coherence.protocol.CacheEvent.LOAD;
import static io.supernode.coherence.protocol.CacheEvent.PUT_ACK;
import static io.supernode.coherence.protocol.CacheEvent.REPLACEMENT;
import static io.supernode.coherence.protocol.CacheEvent.STORE;

/**
 * The MSI directory protocol of "A Primer on Memory Consistency and Cache Coherence" (Nagarajan, Sorin,
 * Hill, Wood), Tables 8.1 (cache controller) and 8.2 (directory controller), with three virtual networks
 * and an ordered forward network. Written from the textbook's tables; the entries read row by row.
 *
 * <p>One reading made explicit: Inv-Acks may overtake the Data, so a cache counts acks as "expected minus
 * received" (negative while they run ahead), and "Data from Dir (ack=0)" is the Data that leaves nothing
 * to wait for. That entry therefore also adds the Data's ack count, bringing the counter back to zero.
 */
public final class Msi {

    private Msi() {
    }

    /** The cache controller's table (Primer Table 8.1), or a broken variant of it. */
    public static ProtocolTable<CacheState, CacheEvent, CacheAction> cacheTable(ProtocolVariant variant) {
        return cacheTable("MSI cache", variant);
    }

    /** The MSI cache table under {@code name}, for MESI to extend. */
    static ProtocolTable<CacheState, CacheEvent, CacheAction> cacheTable(String name, ProtocolVariant variant) {
        ProtocolTable<CacheState, CacheEvent, CacheAction> t =
                new ProtocolTable<>(name, CacheState.class, CacheEvent.class);
        Transition<CacheState, CacheAction> stall = Transition.stall();
        t.on(CacheState.I, LOAD, Transition.to(CacheState.IS_D, SEND_GETS))
                .on(CacheState.I, STORE, Transition.to(CacheState.IM_AD, SEND_GETM));
        stallCore(t, CacheState.IS_D);
        t.on(CacheState.IS_D, INV, stall)
                .on(CacheState.IS_D, DATA_FROM_DIR_ACK0, Transition.to(CacheState.S, COPY_DATA, COMPLETE))
                .on(CacheState.IS_D, DATA_FROM_OWNER, Transition.to(CacheState.S, COPY_DATA, COMPLETE));
        stallCore(t, CacheState.IM_AD);
        t.on(CacheState.IM_AD, FWD_GETS, stall).on(CacheState.IM_AD, FWD_GETM, stall)
                .on(CacheState.IM_AD, DATA_FROM_DIR_ACK0, Transition.to(CacheState.M, COPY_DATA, SET_ACKS, COMPLETE))
                .on(CacheState.IM_AD, DATA_FROM_DIR_ACKS, Transition.to(CacheState.IM_A, COPY_DATA, SET_ACKS))
                .on(CacheState.IM_AD, DATA_FROM_OWNER, Transition.to(CacheState.M, COPY_DATA, COMPLETE))
                .on(CacheState.IM_AD, INV_ACK, Transition.to(CacheState.IM_AD, DEC_ACKS));
        stallCore(t, CacheState.IM_A);
        t.on(CacheState.IM_A, FWD_GETS, stall).on(CacheState.IM_A, FWD_GETM, stall)
                .on(CacheState.IM_A, INV_ACK, Transition.to(CacheState.IM_A, DEC_ACKS))
                .on(CacheState.IM_A, LAST_INV_ACK, Transition.to(CacheState.M, DEC_ACKS, COMPLETE));
        t.on(CacheState.S, LOAD, Transition.to(CacheState.S, HIT))
                .on(CacheState.S, STORE, Transition.to(CacheState.SM_AD, SEND_GETM))
                .on(CacheState.S, REPLACEMENT, Transition.to(CacheState.SI_A, SEND_PUTS))
                .on(CacheState.S, INV, Transition.to(CacheState.I, SEND_INV_ACK_TO_REQ));
        t.on(CacheState.SM_AD, LOAD, Transition.to(CacheState.SM_AD, HIT))
                .on(CacheState.SM_AD, STORE, stall).on(CacheState.SM_AD, REPLACEMENT, stall)
                .on(CacheState.SM_AD, FWD_GETS, stall).on(CacheState.SM_AD, FWD_GETM, stall)
                .on(CacheState.SM_AD, INV, Transition.to(CacheState.IM_AD, SEND_INV_ACK_TO_REQ))
                .on(CacheState.SM_AD, DATA_FROM_DIR_ACK0, Transition.to(CacheState.M, COPY_DATA, SET_ACKS, COMPLETE))
                .on(CacheState.SM_AD, DATA_FROM_DIR_ACKS, Transition.to(CacheState.SM_A, COPY_DATA, SET_ACKS))
                .on(CacheState.SM_AD, DATA_FROM_OWNER, Transition.to(CacheState.M, COPY_DATA, COMPLETE))
                .on(CacheState.SM_AD, INV_ACK, Transition.to(CacheState.SM_AD, DEC_ACKS));
        t.on(CacheState.SM_A, LOAD, Transition.to(CacheState.SM_A, HIT))
                .on(CacheState.SM_A, STORE, stall).on(CacheState.SM_A, REPLACEMENT, stall)
                .on(CacheState.SM_A, FWD_GETS, stall).on(CacheState.SM_A, FWD_GETM, stall)
                .on(CacheState.SM_A, INV_ACK, Transition.to(CacheState.SM_A, DEC_ACKS))
                .on(CacheState.SM_A, LAST_INV_ACK, Transition.to(CacheState.M, DEC_ACKS, COMPLETE));
        t.on(CacheState.M, LOAD, Transition.to(CacheState.M, HIT))
                .on(CacheState.M, STORE, Transition.to(CacheState.M, HIT))
                .on(CacheState.M, REPLACEMENT, Transition.to(CacheState.MI_A, SEND_PUTM))
                .on(CacheState.M, FWD_GETS, variant == ProtocolVariant.OWNER_STAYS_M_AFTER_FWD_GETS
                        ? Transition.to(CacheState.M, SEND_DATA_TO_REQ_AND_DIR)
                        : Transition.to(CacheState.S, SEND_DATA_TO_REQ_AND_DIR))
                .on(CacheState.M, FWD_GETM, Transition.to(CacheState.I, SEND_DATA_TO_REQ));
        stallCore(t, CacheState.MI_A);
        t.on(CacheState.MI_A, FWD_GETS, Transition.to(CacheState.SI_A, SEND_DATA_TO_REQ_AND_DIR))
                .on(CacheState.MI_A, FWD_GETM, Transition.to(CacheState.II_A, SEND_DATA_TO_REQ))
                .on(CacheState.MI_A, PUT_ACK, Transition.to(CacheState.I));
        stallCore(t, CacheState.SI_A);
        t.on(CacheState.SI_A, INV, Transition.to(CacheState.II_A, SEND_INV_ACK_TO_REQ))
                .on(CacheState.SI_A, PUT_ACK, Transition.to(CacheState.I));
        stallCore(t, CacheState.II_A);
        t.on(CacheState.II_A, PUT_ACK, Transition.to(CacheState.I));
        return t;
    }

    static void stallCore(ProtocolTable<CacheState, CacheEvent, CacheAction> t, CacheState state) {
        Transition<CacheState, CacheAction> stall = Transition.stall();
        t.on(state, LOAD, stall).on(state, STORE, stall).on(state, REPLACEMENT, stall);
    }

    /** The directory controller's table (Primer Table 8.2), or a broken variant of it. */
    public static ProtocolTable<DirState, DirEvent, DirAction> directoryTable(ProtocolVariant variant) {
        return directoryTable("MSI directory", variant);
    }

    /** The MSI directory table under {@code name}, for MESI to extend. */
    static ProtocolTable<DirState, DirEvent, DirAction> directoryTable(String name, ProtocolVariant variant) {
        ProtocolTable<DirState, DirEvent, DirAction> t =
                new ProtocolTable<>(name, DirState.class, DirEvent.class);
        DirAction invalidate = variant == ProtocolVariant.DIRECTORY_FORGETS_ONE_INV
                ? DirAction.SEND_INV_TO_ALL_BUT_ONE_SHARER : DirAction.SEND_INV_TO_SHARERS;
        DirAction dataOnUpgrade = variant == ProtocolVariant.DATA_ACK_ZERO_ON_S_GETM
                ? DirAction.SEND_DATA_TO_REQ : DirAction.SEND_DATA_TO_REQ_WITH_ACKS;
        t.on(DirState.I, DirEvent.GETS, Transition.to(DirState.S, DirAction.SEND_DATA_TO_REQ, DirAction.ADD_REQ_TO_SHARERS))
                .on(DirState.I, DirEvent.GETM, Transition.to(DirState.M, DirAction.SEND_DATA_TO_REQ, DirAction.SET_OWNER_TO_REQ))
                .on(DirState.I, DirEvent.PUTS_NOT_LAST, Transition.to(DirState.I, DirAction.SEND_PUT_ACK_TO_REQ))
                .on(DirState.I, DirEvent.PUTS_LAST, Transition.to(DirState.I, DirAction.SEND_PUT_ACK_TO_REQ))
                .on(DirState.I, DirEvent.PUTM_FROM_NON_OWNER, Transition.to(DirState.I, DirAction.SEND_PUT_ACK_TO_REQ));
        t.on(DirState.S, DirEvent.GETS, Transition.to(DirState.S, DirAction.SEND_DATA_TO_REQ, DirAction.ADD_REQ_TO_SHARERS))
                .on(DirState.S, DirEvent.GETM, Transition.to(DirState.M, dataOnUpgrade, invalidate,
                        DirAction.CLEAR_SHARERS, DirAction.SET_OWNER_TO_REQ))
                .on(DirState.S, DirEvent.PUTS_NOT_LAST, Transition.to(DirState.S, DirAction.REMOVE_REQ_FROM_SHARERS,
                        DirAction.SEND_PUT_ACK_TO_REQ))
                .on(DirState.S, DirEvent.PUTS_LAST, Transition.to(DirState.I, DirAction.REMOVE_REQ_FROM_SHARERS,
                        DirAction.SEND_PUT_ACK_TO_REQ))
                .on(DirState.S, DirEvent.PUTM_FROM_NON_OWNER, Transition.to(DirState.S, DirAction.REMOVE_REQ_FROM_SHARERS,
                        DirAction.SEND_PUT_ACK_TO_REQ));
        t.on(DirState.M, DirEvent.GETS, Transition.to(DirState.S_D, DirAction.SEND_FWD_GETS_TO_OWNER,
                        DirAction.ADD_REQ_TO_SHARERS, DirAction.ADD_OWNER_TO_SHARERS, DirAction.CLEAR_OWNER))
                .on(DirState.M, DirEvent.GETM, Transition.to(DirState.M, DirAction.SEND_FWD_GETM_TO_OWNER,
                        DirAction.SET_OWNER_TO_REQ))
                .on(DirState.M, DirEvent.PUTS_NOT_LAST, Transition.to(DirState.M, DirAction.SEND_PUT_ACK_TO_REQ))
                .on(DirState.M, DirEvent.PUTS_LAST, Transition.to(DirState.M, DirAction.SEND_PUT_ACK_TO_REQ))
                .on(DirState.M, DirEvent.PUTM_FROM_OWNER, Transition.to(DirState.I, DirAction.COPY_DATA_TO_MEMORY,
                        DirAction.CLEAR_OWNER, DirAction.SEND_PUT_ACK_TO_REQ))
                .on(DirState.M, DirEvent.PUTM_FROM_NON_OWNER, Transition.to(DirState.M, DirAction.SEND_PUT_ACK_TO_REQ));
        Transition<DirState, DirAction> stall = Transition.stall();
        t.on(DirState.S_D, DirEvent.GETS, stall).on(DirState.S_D, DirEvent.GETM, stall)
                .on(DirState.S_D, DirEvent.PUTS_NOT_LAST, Transition.to(DirState.S_D, DirAction.REMOVE_REQ_FROM_SHARERS,
                        DirAction.SEND_PUT_ACK_TO_REQ))
                .on(DirState.S_D, DirEvent.PUTS_LAST, Transition.to(DirState.S_D, DirAction.REMOVE_REQ_FROM_SHARERS,
                        DirAction.SEND_PUT_ACK_TO_REQ))
                .on(DirState.S_D, DirEvent.PUTM_FROM_NON_OWNER, Transition.to(DirState.S_D,
                        DirAction.REMOVE_REQ_FROM_SHARERS, DirAction.SEND_PUT_ACK_TO_REQ))
                .on(DirState.S_D, DirEvent.DATA, Transition.to(DirState.S, DirAction.COPY_DATA_TO_MEMORY));
        return t;
    }
}
