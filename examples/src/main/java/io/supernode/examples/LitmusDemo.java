package io.supernode.examples;

import io.supernode.coherence.check.LitmusResult;
import io.supernode.coherence.check.LitmusRunner;
import io.supernode.coherence.check.LitmusTests;
import io.supernode.coherence.protocol.Protocol;
import io.supernode.coherence.protocol.ProtocolVariant;

/**
 * Teaches litmus testing: message passing (MP) run under a thousand seeded schedules, first on the
 * correct protocol, where only outcomes sequential consistency allows appear, then on a variant whose
 * forward network may reorder messages, which breaks the protocol in some schedules. A litmus test
 * only samples schedules; the explorer ({@code supernode coherence explore}) tries all of them.
 */
public final class LitmusDemo {

    private LitmusDemo() {
    }

    /** Runs the example. */
    public static void main(String[] args) {
        System.out.print(LitmusTests.MP.listing());
        System.out.println("SC forbids " + LitmusTests.MP.forbidden());
        for (ProtocolVariant variant : new ProtocolVariant[] {ProtocolVariant.CORRECT,
            ProtocolVariant.UNORDERED_FORWARD_NETWORK}) {
            LitmusResult result = LitmusRunner.run(LitmusTests.MP, Protocol.MSI, variant, 1_000, 1);
            System.out.printf("%n%s: outcomes %s%n", variant, result.outcomes());
            System.out.printf("forbidden outcomes seen: %s; failed runs: %s%n", result.forbiddenSeen(),
                    result.failures().isEmpty() ? "none" : result.failures());
        }
    }
}
