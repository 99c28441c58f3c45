package io.supernode.coherence;

import io.supernode.coherence.protocol.CacheAction;
import io.supernode.coherence.protocol.CacheEvent;
import io.supernode.coherence.protocol.CacheState;
import io.supernode.coherence.protocol.DirAction;
import io.supernode.coherence.protocol.DirEvent;
import io.supernode.coherence.protocol.DirState;
import io.supernode.coherence.protocol.Mesi;
import io.supernode.coherence.protocol.Msi;
import io.supernode.coherence.protocol.ProtocolError;
import io.supernode.coherence.protocol.ProtocolVariant;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The tables say what the Primer says, refuse what it leaves out, and print as it prints them. */
class ProtocolTableTest {

    @Test
    void anEventTheTableLeavesOutIsAnErrorNamingStateAndEvent() {
        var cache = Msi.cacheTable(ProtocolVariant.CORRECT);
        ProtocolError e = assertThrows(ProtocolError.class, () -> cache.lookup(CacheState.I, CacheEvent.INV));
        assertTrue(e.getMessage().contains("INV") && e.getMessage().contains("state I"), e.getMessage());
    }

    @Test
    void stallsAreExplicit() {
        assertTrue(Msi.cacheTable(ProtocolVariant.CORRECT).lookup(CacheState.IS_D, CacheEvent.INV).waits());
        assertTrue(Msi.directoryTable(ProtocolVariant.CORRECT).lookup(DirState.S_D, DirEvent.GETM).waits());
    }

    @Test
    void keyRowsMatchThePrimer() {
        var cache = Msi.cacheTable(ProtocolVariant.CORRECT);
        var m = cache.lookup(CacheState.M, CacheEvent.FWD_GETS);
        assertEquals(CacheState.S, m.next());
        assertEquals(List.of(CacheAction.SEND_DATA_TO_REQ_AND_DIR), m.actions());
        var dir = Msi.directoryTable(ProtocolVariant.CORRECT);
        var upgrade = dir.lookup(DirState.S, DirEvent.GETM);
        assertEquals(DirState.M, upgrade.next());
        assertEquals(List.of(DirAction.SEND_DATA_TO_REQ_WITH_ACKS, DirAction.SEND_INV_TO_SHARERS,
                DirAction.CLEAR_SHARERS, DirAction.SET_OWNER_TO_REQ), upgrade.actions());
    }

    @Test
    void tablesPrintInTheTextbooksForm() {
        String cache = Msi.cacheTable(ProtocolVariant.CORRECT)
                .render(CacheState::textbook, CacheEvent::textbook, CacheAction::textbook);
        assertTrue(cache.contains("IM^AD"), cache);
        assertTrue(cache.contains("Fwd-GetS"), cache);
        assertTrue(cache.contains("send data to Req and Dir/S"), cache);
        assertEquals(CacheState.values().length - 2 + 2, cache.lines().count(), "MSI prints no E or EI^A row");
        assertTrue(!cache.contains("Exclusive") && !cache.contains("PutE"), cache);
        String mesi = Mesi.cacheTable(ProtocolVariant.CORRECT)
                .render(CacheState::textbook, CacheEvent::textbook, CacheAction::textbook);
        assertEquals(CacheState.values().length + 2, mesi.lines().count(), mesi);
        assertTrue(mesi.contains("EI^A") && mesi.contains("Exclusive Data from Dir"), mesi);
    }

    @Test
    void theListFormFitsItsWidthAndHoldsEveryEntry() {
        var table = Mesi.cacheTable(ProtocolVariant.CORRECT);
        String list = table.renderList(CacheState::textbook, CacheEvent::textbook, CacheAction::textbook, 100);
        assertTrue(list.lines().allMatch(line -> line.length() <= 100), list);
        long entries = 0;
        for (CacheState state : CacheState.values()) {
            for (CacheEvent event : CacheEvent.values()) {
                entries += table.defines(state, event) ? 1 : 0;
            }
        }
        assertEquals(entries + 1, list.lines().filter(line -> line.contains(" | ")).count(), "a row per entry and the header");
        assertTrue(list.contains("send data to Req and Dir/S") && list.contains("EI^A"), list);
        String narrow = table.renderList(CacheState::textbook, CacheEvent::textbook, CacheAction::textbook, 60);
        assertTrue(narrow.lines().allMatch(line -> line.length() <= 60), narrow);
    }

    @Test
    void mesiGrantsExclusiveToALoneReaderAndUpgradesSilently() {
        var dir = Mesi.directoryTable(ProtocolVariant.CORRECT);
        var lone = dir.lookup(DirState.I, DirEvent.GETS);
        assertEquals(DirState.E, lone.next());
        assertEquals(List.of(DirAction.SEND_EXCLUSIVE_DATA_TO_REQ, DirAction.SET_OWNER_TO_REQ), lone.actions());
        var cache = Mesi.cacheTable(ProtocolVariant.CORRECT);
        var silent = cache.lookup(CacheState.E, CacheEvent.STORE);
        assertEquals(CacheState.M, silent.next());
        assertEquals(List.of(CacheAction.HIT), silent.actions(), "E to M sends nothing");
        assertEquals(List.of(CacheAction.SEND_PUTE), cache.lookup(CacheState.E, CacheEvent.REPLACEMENT).actions());
        assertEquals(DirState.S, Msi.directoryTable(ProtocolVariant.CORRECT).lookup(DirState.I, DirEvent.GETS).next(),
                "MSI still answers a lone reader with S");
    }
}
