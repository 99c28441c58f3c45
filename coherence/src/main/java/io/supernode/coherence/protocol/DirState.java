package io.supernode.coherence.protocol;

/**
 * The directory's state for one line (Primer, Tables 8.2 and 8.4); S^D waits for the old owner's data. E
 * (MESI only) means one cache holds the line exclusively and may have written it silently.
 */
public enum DirState {
    I("I"), S("S"), E("E"), M("M"), S_D("S^D");

    private final String textbook;

    DirState(String textbook) {
        this.textbook = textbook;
    }

    /** The name the textbook prints. */
    public String textbook() {
        return textbook;
    }
}
