package io.supernode.examples;

import org.junit.jupiter.api.Test;

/** Every demo runs to its end as the README tells a newcomer to run it. */
class DemosTest {

    @Test
    void theReadmeApiExampleAndEveryDemoRun() {
        QuickStart.main(new String[0]);
        UnifiedVsCopy.main(new String[0]);
        CoherenceWalkthrough.main(new String[0]);
        LitmusDemo.main(new String[0]);
        KvPooling.main(new String[0]);
        EmbeddingCrossover.main(new String[0]);
        RingAllReduceDemo.main(new String[0]);
        MoeTokenJourney.main(new String[0]);
    }
}
