package io.supernode.collectives.schedule;

import io.supernode.gas.fault.ConfigFault;

import java.util.List;

/**
 * A collective as a list of steps, each a list of {@link Transfer}s, and the size of every rank's buffers.
 * Within a step, every remote transfer reads what its source held when the step began and no two of them
 * write the same elements; the local transfers of a rank then run in list order. A transfer of step s
 * whose sender received data at step s - 1 waits for it: that is the only order between ranks, and what
 * the timing pipelines slice by slice.
 *
 * @param op             the operation
 * @param algorithm      how the data travels
 * @param ranks          ranks in the team
 * @param root           the root rank of a broadcast or reduce (0 otherwise)
 * @param count          nccl-tests' count: elements per buffer (all-reduce, broadcast, reduce) or per
 *                       block (all-gather, reduce-scatter, all-to-all)
 * @param inputElements  elements of every rank's input buffer
 * @param outputElements elements of every rank's output buffer
 * @param workElements   elements of every rank's work buffer (0 when unused)
 * @param steps          the transfers, step by step
 */
public record Schedule(Op op, Algorithm algorithm, int ranks, int root, long count, long inputElements,
                       long outputElements, long workElements, List<List<Transfer>> steps) {

    /** Copies the steps and checks every transfer against the buffers. */
    public Schedule {
        steps = steps.stream().map(List::copyOf).toList();
        for (List<Transfer> step : steps) {
            for (Transfer t : step) {
                // The fields are not assigned yet inside a compact constructor: sizes come from the parameters.
                long[] sizes = {inputElements, outputElements, workElements};
                if (t.from() < 0 || t.from() >= ranks || t.to() < 0 || t.to() >= ranks || t.elements() < 1
                        || t.sourceElement() < 0 || t.sourceElement() + t.elements() > sizes[t.source().ordinal()]
                        || t.targetElement() < 0 || t.targetElement() + t.elements() > sizes[t.target().ordinal()]) {
                    throw new ConfigFault("schedule of " + op + " over " + ranks + " ranks has a transfer outside its "
                            + "buffers: " + t);
                }
            }
        }
    }

    /** Elements of every rank's {@code buffer}. */
    public long elements(Buffer buffer) {
        return switch (buffer) {
            case INPUT -> inputElements;
            case OUTPUT -> outputElements;
            case WORK -> workElements;
        };
    }

    /** Transfers over all steps. */
    public long transfers() {
        return steps.stream().mapToLong(List::size).sum();
    }
}
