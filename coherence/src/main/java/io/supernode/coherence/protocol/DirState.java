package io.supernode.coherence.protocol;

/** The directory's state for one line (Primer, Table 8.2); S^D waits for the old owner's data. */
public enum DirState {
    I("I"), S("S"), M("M"), S_D("S^D");

    private final String textbook;

    DirState(String textbook) {
        this.textbook = textbook;
    }

    /** The name the textbook prints. */
    public String textbook() {
        return textbook;
    }
}
