package io.supernode.gas.fabric;

/**
 * Whether a link's switches reduce data in flight (NVLink SHARP: a GPU's multimem load-reduce makes the NVSwitch
 * read every member's copy, reduce them and return the result, and its multimem store makes the switch replicate
 * one write to every member), so that an all-reduce moves each byte through a port about once instead of twice.
 */
public enum InSwitchReduction {
    /** The switches only forward (PCIe, CXL, and the message networks here). */
    NONE,
    /** No public source says either way (Huawei's UB switches). */
    UNKNOWN,
    /** The switches reduce and multicast (NVLink 4 and 5 NVSwitches). */
    SUPPORTED
}
