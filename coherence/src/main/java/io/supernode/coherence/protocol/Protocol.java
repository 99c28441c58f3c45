package io.supernode.coherence.protocol;

/** The directory protocols on offer, chosen per coherent region. */
public enum Protocol {
    /** Modified, Shared, Invalid: the Primer's baseline directory protocol. */
    MSI,
    /** MSI plus Exclusive: a lone reader gets the line exclusively and writes it without asking again. */
    MESI;

    /** The cache controller's table of this protocol, or of a broken variant. */
    public ProtocolTable<CacheState, CacheEvent, CacheAction> cacheTable(ProtocolVariant variant) {
        return this == MSI ? Msi.cacheTable(variant) : Mesi.cacheTable(variant);
    }

    /** The directory controller's table of this protocol, or of a broken variant. */
    public ProtocolTable<DirState, DirEvent, DirAction> directoryTable(ProtocolVariant variant) {
        return this == MSI ? Msi.directoryTable(variant) : Mesi.directoryTable(variant);
    }
}
