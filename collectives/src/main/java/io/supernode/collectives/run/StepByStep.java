package io.supernode.collectives.run;

import io.supernode.collectives.data.Reduction;
import io.supernode.collectives.schedule.Schedule;
import io.supernode.collectives.schedule.Schedules;
import io.supernode.collectives.schedule.Transfer;
import io.supernode.collectives.team.Team;
import io.supernode.gas.Supernode;
import io.supernode.gas.messaging.MessagePlane;

import java.util.List;

/**
 * A collective run one step at a time for teaching: after every step, what moved (which block, from which
 * rank to which), when the step's last slice completed in modeled time, and every rank's output buffer as
 * its node's memory holds it. The algorithm and protocol must be given; nothing is chosen or capped.
 */
public final class StepByStep {

    /** What one step did. */
    public interface Listener {

        /**
         * Called after step {@code step} of the schedule.
         *
         * @param transfers    the step's transfers
         * @param endNanos     modeled time at which the step's last slice completed
         * @param outputs      every rank's output buffer, element by element, after the step
         */
        void afterStep(int step, List<Transfer> transfers, long endNanos, float[][] outputs);
    }

    private StepByStep() {
    }

    /**
     * Runs {@code spec} (with its algorithm and protocol set) on {@code team} over {@code transport}, calling
     * {@code listener} after every step, and returns the schedule it ran.
     */
    public static Schedule run(Supernode machine, MessagePlane plane, Team team, CollectiveSpec spec, Transport transport,
                               Listener listener) {
        long count = Collectives.count(spec, team.size());
        Schedule schedule = Schedules.build(spec.op(), spec.algorithm(), team.size(),
                team.groupSize(machine.topology()), count, spec.root());
        Timing.Result timing = Timing.of(schedule, team, spec.type().sizeBytes(), transport, spec.protocol(),
                machine.topology(), plane, Timing.MAX_EVENTS, Collectives.CHANNELS);
        try (Executor executor = new Executor(machine, plane, transport, team, schedule, spec.type(), spec.redop())) {
            executor.fillInputs(spec.seed());
            for (int s = 0; s < schedule.steps().size(); s++) {
                executor.runStep(schedule.steps().get(s));
                float[][] outputs = new float[team.size()][(int) schedule.outputElements()];
                for (int r = 0; r < team.size(); r++) {
                    for (int i = 0; i < outputs[r].length; i++) {
                        outputs[r][i] = Reduction.get(spec.type(), executor.output(r), 0, i);
                    }
                }
                listener.afterStep(s, schedule.steps().get(s), timing.stepEndNanos()[s], outputs);
            }
        }
        return schedule;
    }
}
