package io.supernode.kvcache;

/** A KV-cache setting that cannot work: a non-positive size, a layout a trace cannot use, an unknown name. */
public final class KvConfigException extends IllegalArgumentException {

    /** Creates the exception; the message names the setting and the value that was wrong. */
    public KvConfigException(String message) {
        super(message);
    }
}
