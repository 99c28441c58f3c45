package io.supernode.gas.fault;

/** A configuration that cannot describe a machine: bad sizes, unknown presets, inconsistent topologies. */
public final class ConfigFault extends SupernodeFault {

    /** Creates the fault; the message names the setting and the value that was wrong. */
    public ConfigFault(String message) {
        super(message, NONE, NONE, NONE);
    }
}
