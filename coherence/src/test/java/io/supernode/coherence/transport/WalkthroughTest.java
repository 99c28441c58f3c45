package io.supernode.coherence.transport;

import io.supernode.coherence.protocol.Protocol;
import io.supernode.coherence.protocol.ProtocolVariant;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A walkthrough gives every request of its scenario a row, even one that sends nothing. */
class WalkthroughTest {

    @Test
    void evictingALineNobodyHoldsShowsARowWithNothingChanged() {
        List<Walkthrough.Row> rows = Walkthrough.run(Walkthrough.parse("1E", 2), 2, Protocol.MSI, ProtocolVariant.CORRECT);
        assertEquals(1, rows.size());
        assertEquals(List.of("I", "I"), rows.get(0).caches());
        assertEquals("N1 REPLACEMENT line 0", rows.get(0).step().toString());
    }

    @Test
    void aLoadThenAnEvictionShowEveryMessage() {
        List<Walkthrough.Row> rows = Walkthrough.run(Walkthrough.parse("0R 0E", 2), 2, Protocol.MSI, ProtocolVariant.CORRECT);
        // 0R: the request, GetS, Data; 0E: the request, PutS, Put-Ack.
        assertEquals(6, rows.size(), rows.toString());
        assertEquals(List.of("I", "I"), rows.get(5).caches());
    }
}
