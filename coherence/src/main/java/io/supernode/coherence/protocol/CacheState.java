package io.supernode.coherence.protocol;

/**
 * A cache controller's state for one line (Primer, Table 8.1). Transient states are named for the
 * stable state they come from and go to, with the superscripts of what they wait for: A = Inv-Acks,
 * D = Data.
 */
public enum CacheState {
    I("I"), IS_D("IS^D"), IM_AD("IM^AD"), IM_A("IM^A"), S("S"), SM_AD("SM^AD"), SM_A("SM^A"), E("E"), M("M"),
    MI_A("MI^A"), EI_A("EI^A"), SI_A("SI^A"), II_A("II^A");

    private final String textbook;

    CacheState(String textbook) {
        this.textbook = textbook;
    }

    /** The name the textbook prints, e.g. {@code IM^AD}. */
    public String textbook() {
        return textbook;
    }

    /** Whether no transaction is in flight for the line. */
    public boolean stable() {
        return this == I || this == S || this == E || this == M;
    }

    /**
     * Whether the cache may read its copy (the permission S, E, M and the states waiting to upgrade from S
     * keep).
     */
    public boolean readable() {
        return this == S || this == E || this == M || this == SM_AD || this == SM_A;
    }

    /**
     * Whether the copy excludes every other: M, and MESI's E, which may become M without telling anyone.
     * Single-writer-multiple-reader holds over exclusive copies, not only over written ones.
     */
    public boolean exclusive() {
        return this == E || this == M;
    }
}
