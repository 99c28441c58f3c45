package io.supernode.coherence.protocol;

import static io.supernode.coherence.protocol.CacheAction.COMPLETE;
import static io.supernode.coherence.protocol.CacheAction.COPY_DATA;
import static io.supernode.coherence.protocol.CacheAction.HIT;
import static io.supernode.coherence.protocol.CacheAction.SEND_DATA_TO_REQ;
import static io.supernode.coherence.protocol.CacheAction.SEND_DATA_TO_REQ_AND_DIR;
import static io.supernode.coherence.protocol.CacheAction.SEND_PUTE;
import static io.supernode.coherence.protocol.CacheEvent.EXCLUSIVE_DATA;
import static io.supernode.coherence.protocol.CacheEvent.FWD_GETM;
import static io.supernode.coherence.protocol.CacheEvent.FWD_GETS;
import static io.supernode.coherence.protocol.CacheEvent.LOAD;
import static io.supernode.coherence.protocol.CacheEvent.PUT_ACK;
import static io.supernode.coherence.protocol.CacheEvent.REPLACEMENT;
import static io.supernode.coherence.protocol.CacheEvent.STORE;

/**
 * The MESI directory protocol (Primer, section 8.3 and Table 8.4): MSI plus an Exclusive state. A GetS to
 * a line nobody caches is answered with Exclusive data; the cache holds it in E, may read it, and turns it
 * into M on its first store without a message (the silent E to M upgrade that makes private data cheap).
 * Evicting a clean E line sends PutE, which carries no data. The directory cannot tell E from M, so in
 * its E state it forwards requests to the owner exactly as in M.
 */
public final class Mesi {

    private Mesi() {
    }

    /** The MESI cache controller's table, or a broken variant of it (the variants break the MSI part). */
    public static ProtocolTable<CacheState, CacheEvent, CacheAction> cacheTable(ProtocolVariant variant) {
        ProtocolTable<CacheState, CacheEvent, CacheAction> t = Msi.cacheTable("MESI cache", variant);
        Transition<CacheState, CacheAction> stall = Transition.stall();
        // The directory may name this cache owner before its Exclusive data arrives, so forwards can overtake it.
        t.on(CacheState.IS_D, EXCLUSIVE_DATA, Transition.to(CacheState.E, COPY_DATA, COMPLETE))
                .on(CacheState.IS_D, FWD_GETS, stall).on(CacheState.IS_D, FWD_GETM, stall);
        t.on(CacheState.E, LOAD, Transition.to(CacheState.E, HIT))
                .on(CacheState.E, STORE, Transition.to(CacheState.M, HIT))
                .on(CacheState.E, REPLACEMENT, Transition.to(CacheState.EI_A, SEND_PUTE))
                .on(CacheState.E, FWD_GETS, Transition.to(CacheState.S, SEND_DATA_TO_REQ_AND_DIR))
                .on(CacheState.E, FWD_GETM, Transition.to(CacheState.I, SEND_DATA_TO_REQ));
        Msi.stallCore(t, CacheState.EI_A);
        t.on(CacheState.EI_A, FWD_GETS, Transition.to(CacheState.SI_A, SEND_DATA_TO_REQ_AND_DIR))
                .on(CacheState.EI_A, FWD_GETM, Transition.to(CacheState.II_A, SEND_DATA_TO_REQ))
                .on(CacheState.EI_A, PUT_ACK, Transition.to(CacheState.I));
        return t;
    }

    /** The MESI directory controller's table, or a broken variant of it. */
    public static ProtocolTable<DirState, DirEvent, DirAction> directoryTable(ProtocolVariant variant) {
        ProtocolTable<DirState, DirEvent, DirAction> t = Msi.directoryTable("MESI directory", variant);
        t.on(DirState.I, DirEvent.GETS, Transition.to(DirState.E, DirAction.SEND_EXCLUSIVE_DATA_TO_REQ,
                        DirAction.SET_OWNER_TO_REQ))
                .on(DirState.I, DirEvent.PUTE_FROM_NON_OWNER, Transition.to(DirState.I, DirAction.SEND_PUT_ACK_TO_REQ));
        t.on(DirState.S, DirEvent.PUTE_FROM_NON_OWNER, Transition.to(DirState.S, DirAction.REMOVE_REQ_FROM_SHARERS,
                DirAction.SEND_PUT_ACK_TO_REQ));
        t.on(DirState.E, DirEvent.GETS, Transition.to(DirState.S_D, DirAction.SEND_FWD_GETS_TO_OWNER,
                        DirAction.ADD_REQ_TO_SHARERS, DirAction.ADD_OWNER_TO_SHARERS, DirAction.CLEAR_OWNER))
                .on(DirState.E, DirEvent.GETM, Transition.to(DirState.M, DirAction.SEND_FWD_GETM_TO_OWNER,
                        DirAction.SET_OWNER_TO_REQ))
                .on(DirState.E, DirEvent.PUTS_NOT_LAST, Transition.to(DirState.E, DirAction.SEND_PUT_ACK_TO_REQ))
                .on(DirState.E, DirEvent.PUTS_LAST, Transition.to(DirState.E, DirAction.SEND_PUT_ACK_TO_REQ))
                .on(DirState.E, DirEvent.PUTE_FROM_OWNER, Transition.to(DirState.I, DirAction.CLEAR_OWNER,
                        DirAction.SEND_PUT_ACK_TO_REQ))
                .on(DirState.E, DirEvent.PUTM_FROM_OWNER, Transition.to(DirState.I, DirAction.COPY_DATA_TO_MEMORY,
                        DirAction.CLEAR_OWNER, DirAction.SEND_PUT_ACK_TO_REQ))
                .on(DirState.E, DirEvent.PUTE_FROM_NON_OWNER, Transition.to(DirState.E, DirAction.SEND_PUT_ACK_TO_REQ))
                .on(DirState.E, DirEvent.PUTM_FROM_NON_OWNER, Transition.to(DirState.E, DirAction.SEND_PUT_ACK_TO_REQ));
        t.on(DirState.M, DirEvent.PUTE_FROM_NON_OWNER, Transition.to(DirState.M, DirAction.SEND_PUT_ACK_TO_REQ));
        t.on(DirState.S_D, DirEvent.PUTE_FROM_NON_OWNER, Transition.to(DirState.S_D,
                DirAction.REMOVE_REQ_FROM_SHARERS, DirAction.SEND_PUT_ACK_TO_REQ));
        return t;
    }
}
