package io.supernode.coherence.protocol;

/** What the directory reacts to (Primer, Table 8.2). */
public enum DirEvent {
    GETS("GetS"), GETM("GetM"), PUTS_NOT_LAST("PutS-NotLast"), PUTS_LAST("PutS-Last"),
    PUTM_FROM_OWNER("PutM+data from Owner"), PUTM_FROM_NON_OWNER("PutM+data from NonOwner"),
    PUTE_FROM_OWNER("PutE from Owner"), PUTE_FROM_NON_OWNER("PutE from NonOwner"), DATA("Data");

    private final String textbook;

    DirEvent(String textbook) {
        this.textbook = textbook;
    }

    /** The column heading the textbook prints. */
    public String textbook() {
        return textbook;
    }
}
