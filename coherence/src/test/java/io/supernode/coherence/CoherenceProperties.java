package io.supernode.coherence;

import io.supernode.coherence.check.CoherenceViolation;
import io.supernode.coherence.check.Invariants;
import io.supernode.coherence.protocol.Protocol;
import io.supernode.coherence.protocol.ProtocolError;
import io.supernode.coherence.protocol.ProtocolVariant;
import io.supernode.coherence.transport.CoherenceSystem;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomGenerator;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.Transformer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Random schedules of loads, stores, evictions and message deliveries over 2-4 nodes and 1-3 lines,
 * invariants checked after every action. A failing schedule shrinks to a minimal one, printed as its
 * sequence of requests and messages.
 */
class CoherenceProperties {

    private static final int OPS_PER_NODE = 6;
    private static final int[] VALUES = {1, 2};

    /** One step: whatever the system enables now, requests and deliveries alike; the chain ends when nothing is. */
    private static final class AnyEnabledStep implements Action.Dependent<CoherenceSystem> {
        @Override
        public Arbitrary<Transformer<CoherenceSystem>> transformer(CoherenceSystem s) {
            List<CoherenceSystem.Step> steps = s.enabled(OPS_PER_NODE, VALUES);
            if (steps.isEmpty()) {
                return Arbitraries.just(Transformer.endOfChain());
            }
            return Arbitraries.of(steps).map(step -> Transformer.mutate(step.toString(), sys -> sys.apply(step)));
        }
    }

    /** SWMR and data-value always; progress and directory agreement once nothing more can happen. */
    static void invariants(CoherenceSystem s) {
        Invariants.checkAlways(s);
        if (s.enabled(OPS_PER_NODE, VALUES).isEmpty()) {
            if (!s.quiescent()) {
                throw new CoherenceViolation(CoherenceViolation.Kind.DEADLOCK, "nothing can happen with "
                        + s.inFlight() + " in flight");
            }
            Invariants.checkQuiescent(s);
        }
    }

    private static Arbitrary<ActionChain<CoherenceSystem>> chains(Protocol protocol, ProtocolVariant variant, int maxNodes,
                                                                  int maxLines) {
        return Combinators.combine(Arbitraries.integers().between(2, maxNodes), Arbitraries.integers().between(1, maxLines))
                .flatAs((nodes, lines) -> ActionChain.<CoherenceSystem>startWith(() -> new CoherenceSystem(nodes, lines, protocol, variant))
                        .withAction(new AnyEnabledStep())
                        .withMaxTransformations(80));
    }

    @Provide
    Arbitrary<ActionChain<CoherenceSystem>> msiSchedules() {
        return chains(Protocol.MSI, ProtocolVariant.CORRECT, 4, 3);
    }

    @Provide
    Arbitrary<ActionChain<CoherenceSystem>> mesiSchedules() {
        return chains(Protocol.MESI, ProtocolVariant.CORRECT, 4, 3);
    }

    @Property(tries = 300)
    void msiKeepsSwmrDataValueProgressAndAgreementOnEverySchedule(@ForAll("msiSchedules") ActionChain<CoherenceSystem> chain) {
        chain.withInvariant("coherence", CoherenceProperties::invariants).run();
    }

    @Property(tries = 300)
    void mesiKeepsSwmrDataValueProgressAndAgreementOnEverySchedule(@ForAll("mesiSchedules") ActionChain<CoherenceSystem> chain) {
        chain.withInvariant("coherence", CoherenceProperties::invariants).run();
    }

    static Stream<Arguments> brokenVariants() {
        return Arrays.stream(Protocol.values()).flatMap(p -> Arrays.stream(ProtocolVariant.values())
                .filter(v -> v != ProtocolVariant.CORRECT).map(v -> Arguments.of(p, v)));
    }

    @ParameterizedTest
    @MethodSource("brokenVariants")
    void theRandomScheduleSuiteCatchesEveryBrokenVariant(Protocol protocol, ProtocolVariant variant) {
        long seed = 20261121L + variant.ordinal();
        RandomGenerator<ActionChain<CoherenceSystem>> generator = chains(protocol, variant, 3, 1).generator(1000);
        Random random = new Random(seed);
        for (int attempt = 0; attempt < 3000; attempt++) {
            ActionChain<CoherenceSystem> chain = generator.next(random).value();
            try {
                chain.withInvariant("coherence", CoherenceProperties::invariants).run();
            } catch (AssertionError | RuntimeException e) {
                if (isViolation(e)) {
                    return;
                }
                throw e;
            }
        }
        fail(protocol + " " + variant + " survived 3000 random schedules (seed " + seed + ")");
    }

    /** jqwik reports a broken invariant as its own AssertionError caused by ours. */
    private static boolean isViolation(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof CoherenceViolation || c instanceof ProtocolError) {
                return true;
            }
        }
        return false;
    }
}
