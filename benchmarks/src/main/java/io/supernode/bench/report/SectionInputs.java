package io.supernode.bench.report;

import java.util.List;

/**
 * What the sections of one report share.
 *
 * @param plan     how much to run
 * @param seed     seeds every workload
 * @param figures  where the charts go
 * @param costRows host time per emulated operation, one row each: the workload sections add to it as they
 *                 run, and the cost section, built last, adds its own and shows them all (so it is mutable)
 */
record SectionInputs(ReportPlan plan, long seed, Figures figures, List<List<String>> costRows) {
}
