package io.supernode.kvcache.index;

import java.nio.charset.StandardCharsets;

/**
 * Chained block hashes: a block's key is a hash of its parent's key, its tokens and an optional
 * tenant salt, so equal keys mean equal prefixes. Every function here is fixed arithmetic with no
 * per-process seed: a cache whose keys changed between processes would silently never hit.
 */
public final class BlockHash {

    /** The parent key of a prompt's first block. */
    public static final long ROOT = 0x5375_7065_724E_6F64L;

    /** The salt of the default tenant: none. */
    public static final long NO_SALT = 0;

    private BlockHash() {
    }

    /** The key of the block holding {@code tokens[from, to)} after the block keyed {@code parent}. */
    public static long chain(long parent, int[] tokens, int from, int to, long salt) {
        long h = mix(parent ^ mix(salt + 0x9E37_79B9_7F4A_7C15L));
        // The length goes in first so that a partial block never shares a key with a full one.
        h = mix(h + (to - from));
        for (int i = from; i < to; i++) {
            h = mix(h ^ (tokens[i] & 0xFFFF_FFFFL) * 0xC2B2_AE3D_27D4_EB4FL);
        }
        return h;
    }

    /** The key of a trace block given by its hash id: the id itself, or mixed with the tenant's salt. */
    public static long ofTraceId(long hashId, long salt) {
        return salt == NO_SALT ? hashId : mix(hashId ^ salt) | Long.MIN_VALUE;
    }

    /** A tenant's salt: FNV-1a over the name's UTF-8 bytes, mixed; {@link #NO_SALT} for none. */
    public static long salt(String tenant) {
        if (tenant == null || tenant.isEmpty()) {
            return NO_SALT;
        }
        long h = 0xCBF2_9CE4_8422_2325L;
        for (byte b : tenant.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xFF)) * 0x0000_0100_0000_01B3L;
        }
        long salt = mix(h);
        return salt == NO_SALT ? 1 : salt;
    }

    /** A 64-bit finalizer that spreads every input bit over the output (the SplitMix64 constants). */
    public static long mix(long value) {
        long z = value;
        z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
        return z ^ (z >>> 31);
    }
}
