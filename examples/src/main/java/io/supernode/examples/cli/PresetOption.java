package io.supernode.examples.cli;

import io.supernode.gas.Presets;
import io.supernode.gas.SupernodeConfig;
import picocli.CommandLine.Option;

/** The {@code --preset NAME} option every command that boots a machine shares (a picocli mixin). */
public final class PresetOption {

    @Option(names = "--preset", paramLabel = "NAME", defaultValue = "cloudmatrix384",
            description = "Machine to boot: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).",
            completionCandidates = PresetNames.class)
    String preset;

    /** The chosen preset's configuration; an unknown name is a one-line error naming the known ones. */
    public SupernodeConfig config() {
        return Presets.byName(preset);
    }
}
