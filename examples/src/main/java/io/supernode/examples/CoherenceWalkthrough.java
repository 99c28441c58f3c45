package io.supernode.examples;

import io.supernode.coherence.protocol.Protocol;
import io.supernode.coherence.protocol.ProtocolVariant;
import io.supernode.coherence.transport.CoherenceSystem;
import io.supernode.coherence.transport.Walkthrough;

import java.util.List;

/**
 * Teaches the MSI directory protocol by watching it: node 0 reads a line, node 1 writes it, node 2
 * reads it, node 0 writes again. Every step prints each cache's state and the directory's, so the
 * transient states (IS^D, IM^AD, ...) and the three message classes can be followed one by one, then
 * the same run as a Mermaid sequence diagram to paste into any Markdown viewer. Last, what MESI's
 * Exclusive state buys: a node that reads and then writes a line nobody else holds needs two round trips
 * to the directory under MSI and one under MESI, whose store upgrades E to M without a message.
 */
public final class CoherenceWalkthrough {

    private CoherenceWalkthrough() {
    }

    /** Runs the example. */
    public static void main(String[] args) {
        int nodes = 3;
        List<Walkthrough.Row> rows = Walkthrough.run(Walkthrough.parse("0R 1W5 2R 0W7", nodes), nodes,
                Protocol.MSI, ProtocolVariant.CORRECT);
        for (Walkthrough.Row row : rows) {
            System.out.printf("%-44s caches %s  directory %s%n", row.step(), row.caches(), row.dir());
        }
        System.out.println();
        System.out.println(Walkthrough.mermaid(rows, nodes));
        for (Protocol protocol : Protocol.values()) {
            List<Walkthrough.Row> privateUse = Walkthrough.run(Walkthrough.parse("0R 0W3", nodes), nodes, protocol,
                    ProtocolVariant.CORRECT);
            long messages = privateUse.stream().filter(r -> r.step() instanceof CoherenceSystem.Deliver).count();
            System.out.printf("%s, node 0 reads then writes a private line: %d messages, ends %s%n", protocol,
                    messages, privateUse.getLast().caches().getFirst());
        }
    }
}
