package io.supernode.collectives.team;

import io.supernode.gas.fabric.Topology;
import io.supernode.gas.fault.ConfigFault;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * The nodes a collective runs over, rank {@code r} on node {@code node(r)}: a communicator. Sub-teams are made
 * as NVSHMEM's teams make them: {@link #split(int, int, int)} takes every stride-th rank from a start (a
 * data-parallel group across tensor-parallel ones), and {@link #row} and {@link #column} cut the team as a
 * 2-D grid of rows of {@code width} ranks (tensor parallelism inside a row, data parallelism down a column).
 */
public final class Team {

    private final int[] nodes;

    private Team(int[] nodes) {
        this.nodes = nodes;
    }

    /**
     * A team of these nodes, rank {@code r} on {@code nodes[r]}.
     *
     * @throws ConfigFault when the list is empty, holds a node twice or a negative id
     */
    public static Team of(int... nodes) {
        if (nodes == null || nodes.length == 0) {
            throw new ConfigFault("a team needs at least one node");
        }
        Set<Integer> seen = new HashSet<>();
        for (int node : nodes) {
            if (node < 0 || !seen.add(node)) {
                throw new ConfigFault("a team's nodes must be distinct and non-negative, got " + Arrays.toString(nodes));
            }
        }
        return new Team(nodes.clone());
    }

    /** Nodes 0 .. {@code size - 1}, rank equal to node. */
    public static Team world(int size) {
        if (size < 1) {
            throw new ConfigFault("a team needs at least one node, got " + size);
        }
        int[] nodes = new int[size];
        Arrays.setAll(nodes, i -> i);
        return new Team(nodes);
    }

    /** Ranks in this team. */
    public int size() {
        return nodes.length;
    }

    /** The node rank {@code rank} runs on. */
    public int node(int rank) {
        return nodes[rank];
    }

    /**
     * The sub-team of {@code size} ranks {@code start, start + stride, ...} of this team (NVSHMEM's
     * {@code team_split_strided}); its rank {@code i} is this team's rank {@code start + i * stride}.
     *
     * @throws ConfigFault when a rank falls outside this team
     */
    public Team split(int start, int stride, int size) {
        if (start < 0 || stride < 1 || size < 1 || start + (long) (size - 1) * stride >= nodes.length) {
            throw new ConfigFault("split(start " + start + ", stride " + stride + ", size " + size + ") leaves a team of "
                    + nodes.length + " ranks");
        }
        int[] picked = new int[size];
        for (int i = 0; i < size; i++) {
            picked[i] = nodes[start + i * stride];
        }
        return new Team(picked);
    }

    /**
     * Row {@code row} of this team seen as a grid of rows of {@code width} consecutive ranks (NVSHMEM's
     * {@code team_split_2d}, x-axis).
     *
     * @throws ConfigFault when the width does not divide the team or the row is outside it
     */
    public Team row(int width, int row) {
        checkGrid(width);
        return split(row * width, 1, width);
    }

    /** Column {@code column} of the grid of {@link #row}: every width-th rank from {@code column} (the y-axis). */
    public Team column(int width, int column) {
        checkGrid(width);
        if (column < 0 || column >= width) {
            throw new ConfigFault("column " + column + " of a grid " + width + " wide");
        }
        return split(column, width, nodes.length / width);
    }

    private void checkGrid(int width) {
        if (width < 1 || nodes.length % width != 0) {
            throw new ConfigFault("a grid of rows " + width + " wide does not divide a team of " + nodes.length + " ranks");
        }
    }

    /**
     * Ranks per first-tier domain of {@code topology} when the team is made of whole domains' worth of consecutive
     * ranks: every run of that many consecutive ranks on one domain, each run on a domain of its own, and at least
     * two runs of at least two ranks; 0 when it is not (no hierarchy to exploit).
     */
    public int groupSize(Topology topology) {
        int perGroup = 1;
        while (perGroup < nodes.length && topology.groupOf(nodes[perGroup]) == topology.groupOf(nodes[0])) {
            perGroup++;
        }
        if (perGroup < 2 || perGroup >= nodes.length || nodes.length % perGroup != 0) {
            return 0;
        }
        Set<Integer> seen = new HashSet<>();
        for (int first = 0; first < nodes.length; first += perGroup) {
            int group = topology.groupOf(nodes[first]);
            if (!seen.add(group)) {
                return 0;
            }
            for (int r = first; r < first + perGroup; r++) {
                if (topology.groupOf(nodes[r]) != group) {
                    return 0;
                }
            }
        }
        return perGroup;
    }

    @Override
    public String toString() {
        return nodes.length <= 8 ? "team " + Arrays.toString(nodes) : "team of " + nodes.length + " ranks (nodes "
                + nodes[0] + ".." + nodes[nodes.length - 1] + ")";
    }
}
