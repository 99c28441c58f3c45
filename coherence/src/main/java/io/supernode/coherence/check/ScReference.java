package io.supernode.coherence.check;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The outcomes sequential consistency allows for a test: every interleaving of the programs run
 * against one atomic memory. Litmus programs are a handful of instructions, so all of them are tried.
 */
public final class ScReference {

    private ScReference() {
    }

    /** Every outcome some interleaving of {@code test}'s programs produces. */
    public static Set<String> allowed(LitmusTest test) {
        Set<String> outcomes = new TreeSet<>();
        int nodes = test.nodes();
        explore(test, new int[nodes], new int[nodes][], new int[test.lines()], outcomes);
        return outcomes;
    }

    private static void explore(LitmusTest test, int[] pc, int[][] registers, int[] memory, Set<String> outcomes) {
        boolean done = true;
        for (int p = 0; p < test.nodes(); p++) {
            List<LitmusOp> program = test.programs().get(p);
            if (pc[p] == program.size()) {
                continue;
            }
            done = false;
            LitmusOp op = program.get(pc[p]);
            int[] savedMemory = memory.clone();
            int[][] savedRegisters = registers.clone();
            if (op.store()) {
                memory[op.line()] = op.value();
            } else {
                int loads = (int) program.subList(0, pc[p]).stream().filter(o -> !o.store()).count();
                int[] mine = registers[p] == null ? new int[program.size()] : registers[p].clone();
                mine[loads] = memory[op.line()];
                registers[p] = mine;
            }
            pc[p]++;
            explore(test, pc, registers, memory, outcomes);
            pc[p]--;
            System.arraycopy(savedMemory, 0, memory, 0, memory.length);
            System.arraycopy(savedRegisters, 0, registers, 0, registers.length);
        }
        if (done) {
            int[][] regs = new int[test.nodes()][];
            for (int p = 0; p < regs.length; p++) {
                regs[p] = registers[p] == null ? new int[0] : registers[p];
            }
            int[] finals = test.finalLines().stream().mapToInt(line -> memory[line]).toArray();
            outcomes.add(LitmusOutcome.of(test, regs, finals));
        }
    }
}
