package io.supernode.gas.fault;

import io.supernode.cli.SupernodeCli;

/**
 * A class placed in the lowest layer that reaches the highest: the layering test runs its rule over this
 * class to show that the rule catches an upward import. Test code only; the rule proper never sees it.
 */
final class UpwardImportFixture {

    private UpwardImportFixture() {
    }

    static String commandName() {
        return SupernodeCli.class.getSimpleName();
    }
}
