package io.supernode.kvcache.model;

import io.supernode.kvcache.KvConfigException;

import java.util.List;
import java.util.Locale;

/**
 * The served model and the accelerator it runs on, as far as serving time is concerned: how many
 * bytes of KV cache a token has, how fast a node prefills, and how long a decode step takes. The
 * replay moves small payloads for real but charges the fabric for {@link #kvBytesPerToken()}.
 *
 * <p>Prefill is compute-bound: {@code 2 x parameters} FLOPs per token (the forward-pass estimate of
 * Kaplan et al., "Scaling Laws for Neural Language Models", 2020; attention FLOPs left out) at
 * {@code mfu} of the accelerator's dense peak. Decode is memory-bound: one step reads every weight
 * once from HBM, and each running request gains one token per step.
 *
 * @param name                   e.g. {@code llama3-8b}
 * @param parameters             model parameters
 * @param kvBytesPerToken        KV cache bytes per token: layers x KV heads x head dim x 2 x dtype bytes
 * @param weightBytes            bytes of weights one decode step reads
 * @param peakFlopsPerSecond     the accelerator's dense peak for the model's dtype
 * @param mfu                    model FLOPs utilization reached in prefill, 0..1
 * @param hbmBytesPerSecond      the accelerator's HBM bandwidth
 */
public record ServingProfile(String name, double parameters, long kvBytesPerToken, double weightBytes,
                             double peakFlopsPerSecond, double mfu, double hbmBytesPerSecond) {

    /**
     * Llama 3.1 8B in bf16 on an H100 SXM: 8.03 B parameters; 32 layers x 8 KV heads x 128 dims x 2 x
     * 2 B = 128 KiB of KV per token (Meta's model card); 989 TFLOPS dense bf16 and 3.35 TB/s HBM
     * (NVIDIA's H100 SXM datasheet); 40 % MFU in prefill, an assumption typical of tuned serving.
     * Prefill: 24.6 k tokens/s; a decode step: 4.8 ms.
     */
    public static final ServingProfile LLAMA3_8B = new ServingProfile("llama3-8b", 8.03e9, 32L * 8 * 128 * 2 * 2,
            8.03e9 * 2, 989e12, 0.40, 3.35e12);

    /**
     * Llama 3.1 70B in bf16 across one 8-GPU H100 node treated as one serving node: 70.6 B parameters;
     * 80 layers x 8 KV heads x 128 x 2 x 2 B = 320 KiB per token; eight GPUs' peak and HBM, 40 % MFU.
     * Prefill: 22.4 k tokens/s; a decode step: 5.3 ms.
     */
    public static final ServingProfile LLAMA3_70B = new ServingProfile("llama3-70b", 70.6e9, 80L * 8 * 128 * 2 * 2,
            70.6e9 * 2, 8 * 989e12, 0.40, 8 * 3.35e12);

    private static final List<ServingProfile> ALL = List.of(LLAMA3_8B, LLAMA3_70B);

    /** Checks every figure. */
    public ServingProfile {
        if (name == null || name.isBlank()) {
            throw new KvConfigException("serving profile needs a name");
        }
        if (!(parameters > 0) || kvBytesPerToken < 1 || !(weightBytes > 0) || !(peakFlopsPerSecond > 0)
                || !(mfu > 0 && mfu <= 1) || !(hbmBytesPerSecond > 0)) {
            throw new KvConfigException("serving profile '" + name + "' needs positive figures and 0 < mfu <= 1");
        }
    }

    /** Modeled prefill time per token on one node. */
    public double prefillNanosPerToken() {
        return 2 * parameters / (mfu * peakFlopsPerSecond) * 1e9;
    }

    /** Modeled prefill time of {@code tokens} tokens. */
    public long prefillNanos(long tokens) {
        return Math.round(tokens * prefillNanosPerToken());
    }

    /** Modeled time of one decode step: every weight read once. */
    public long decodeStepNanos() {
        return Math.round(weightBytes / hbmBytesPerSecond * 1e9);
    }

    /** Modeled KV bytes of {@code tokens} tokens. */
    public long kvBytes(long tokens) {
        return tokens * kvBytesPerToken;
    }

    /** Every built-in profile. */
    public static List<ServingProfile> all() {
        return ALL;
    }

    /**
     * The built-in profile with this name, case-insensitive.
     *
     * @throws KvConfigException naming the known profiles when there is none
     */
    public static ServingProfile byName(String name) {
        String wanted = name == null ? "" : name.toLowerCase(Locale.ROOT);
        return ALL.stream().filter(p -> p.name.equals(wanted)).findFirst()
                .orElseThrow(() -> new KvConfigException("unknown serving profile '" + name + "' (known: "
                        + ALL.stream().map(ServingProfile::name).toList() + ")"));
    }
}
