package io.supernode.cli;

import io.supernode.gas.Presets;

import java.util.Iterator;

/** The preset names, for picocli's help and completion. */
public final class PresetNames implements Iterable<String> {

    @Override
    public Iterator<String> iterator() {
        return Presets.names().iterator();
    }
}
