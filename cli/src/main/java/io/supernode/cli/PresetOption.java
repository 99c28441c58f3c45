package io.supernode.cli;

import io.supernode.gas.Presets;
import io.supernode.gas.SupernodeConfig;
import io.supernode.gas.config.TopologyFile;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * The machine-choosing options every command that boots a machine shares (a picocli mixin): a preset by
 * name, or a topology file describing another machine.
 */
public final class PresetOption {

    @Option(names = "--preset", paramLabel = "NAME", defaultValue = "cloudmatrix384",
            description = "Machine to boot: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).",
            completionCandidates = PresetNames.class)
    String preset;

    @Option(names = "--topology", paramLabel = "FILE",
            description = "Boot the machine a topology file (JSON) describes instead of a preset: a 'base' preset "
                    + "and the keys it changes (groups, nodesPerGroup, memoryPerNode, pageSize, link, memory, seed, ...), "
                    + "or a whole machine. See examples/configs/.")
    Path topology;

    /** The chosen machine's configuration; an unknown name or a bad file is a one-line error. */
    public SupernodeConfig config() {
        return topology != null ? TopologyFile.read(topology) : Presets.byName(preset);
    }
}
