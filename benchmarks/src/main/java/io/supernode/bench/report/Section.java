package io.supernode.bench.report;

import java.util.List;

/**
 * A titled part of the report.
 *
 * @param id     anchor for links, e.g. {@code fidelity}
 * @param title  heading
 * @param blocks its content, in order
 */
public record Section(String id, String title, List<Block> blocks) {

    /** Copies the blocks. */
    public Section {
        blocks = List.copyOf(blocks);
    }
}
