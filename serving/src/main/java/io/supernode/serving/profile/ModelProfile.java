package io.supernode.serving.profile;

import io.supernode.gas.config.JsonObject;
import io.supernode.gas.fault.ConfigFault;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A decoder-only transformer as serving cost sees it, in the terms of its Hugging Face {@code config.json}: layers,
 * hidden size, vocabulary, how it attends ({@link Attention}) and its feed-forward blocks ({@link FeedForward}).
 * {@link #read} takes such a file as it is (keys it does not know are left alone, as a config carries many).
 *
 * @param name        e.g. {@code llama3.1-8b}
 * @param layers      transformer layers ({@code num_hidden_layers})
 * @param hidden      hidden size ({@code hidden_size})
 * @param vocab       vocabulary ({@code vocab_size}): the embedding's and the output head's rows
 * @param attention   grouped-query or latent attention
 * @param feedForward a dense MLP or experts
 * @param weightBytes bytes per weight (2: BF16; 1: FP8 or INT8)
 * @param kvBytes     bytes per cached KV element (2: BF16)
 * @param source      where the numbers come from
 */
public record ModelProfile(String name, int layers, int hidden, int vocab, Attention attention, FeedForward feedForward,
                           double weightBytes, double kvBytes, String source) {

    /**
     * Llama 3.1 8B: 32 layers, hidden 4096, 32 heads and 8 KV heads of 128, MLP 14,336, vocabulary 128,256; BF16
     * weights and KV: 8.03 B parameters, 128 KiB of KV per token (C: Meta's Llama 3.1 model card and config.json).
     */
    public static final ModelProfile LLAMA3_1_8B = new ModelProfile("llama3.1-8b", 32, 4096, 128_256,
            new Attention.GroupedQuery(32, 8, 128), new FeedForward.Dense(14_336), 2, 2,
            "C: Meta Llama 3.1 8B model card and config.json; BF16 weights and KV cache");
    /**
     * Llama 3.1 70B: 80 layers, hidden 8192, 64 heads and 8 KV heads of 128, MLP 28,672, vocabulary 128,256; BF16:
     * 70.6 B parameters, 320 KiB of KV per token (C: Meta's Llama 3.1 model card and config.json).
     */
    public static final ModelProfile LLAMA3_1_70B = new ModelProfile("llama3.1-70b", 80, 8192, 128_256,
            new Attention.GroupedQuery(64, 8, 128), new FeedForward.Dense(28_672), 2, 2,
            "C: Meta Llama 3.1 70B model card and config.json; BF16 weights and KV cache");
    /**
     * DeepSeek-V3 (and R1, the same shape): 61 layers, the first 3 dense, hidden 7168, 128 heads, MLA with ranks 1536
     * (query) and 512 (KV) and 64 rotary dimensions, 256 routed experts and 1 shared per MoE layer, top-8, expert
     * intermediate 2048, dense 18,432, vocabulary 129,280; FP8 weights, BF16 KV cache (70 KB per token): 671 B
     * parameters, 37 B active (C: DeepSeek-V3 technical report, arXiv 2412.19437, and its config.json).
     */
    public static final ModelProfile DEEPSEEK_V3 = new ModelProfile("deepseek-v3", 61, 7168, 129_280,
            new Attention.Latent(128, 1536, 512, 128, 64, 128), new FeedForward.Experts(256, 1, 8, 2048, 3, 18_432), 1, 2,
            "C: DeepSeek-V3 technical report (arXiv 2412.19437) and config.json; FP8 weights, BF16 KV cache");
    /**
     * Qwen3-235B-A22B: 94 layers, hidden 4096, 64 heads and 4 KV heads of 128, 128 experts per layer (no shared
     * expert), top-8, expert intermediate 1536, vocabulary 151,936; BF16: 235 B parameters, 22 B active, 188 KiB of
     * KV per token (C: Qwen3 technical report, arXiv 2505.09388, and its config.json).
     */
    public static final ModelProfile QWEN3_235B_A22B = new ModelProfile("qwen3-235b-a22b", 94, 4096, 151_936,
            new Attention.GroupedQuery(64, 4, 128), new FeedForward.Experts(128, 0, 8, 1536, 0, 0), 2, 2,
            "C: Qwen3 technical report (arXiv 2505.09388) and Qwen3-235B-A22B config.json; BF16 weights and KV cache");

    private static final List<ModelProfile> BUILT_IN = List.of(LLAMA3_1_8B, LLAMA3_1_70B, DEEPSEEK_V3, QWEN3_235B_A22B);
    /** Other names of built-ins: the same shapes, or the names earlier versions used. */
    private static final Map<String, ModelProfile> ALIASES = Map.of("deepseek-r1", DEEPSEEK_V3, "llama3-8b", LLAMA3_1_8B,
            "llama3-70b", LLAMA3_1_70B);

    /** Checks the numbers. */
    public ModelProfile {
        if (name == null || name.isBlank() || source == null || attention == null || feedForward == null) {
            throw new ConfigFault("a model profile needs a name, attention, a feed-forward block and a source");
        }
        if (layers < 1 || hidden < 1 || vocab < 1) {
            throw new ConfigFault("model profile " + name + ": layers, hidden size and vocabulary must be positive");
        }
        if (feedForward instanceof FeedForward.Experts e && e.denseLayers() >= layers) {
            throw new ConfigFault("model profile " + name + ": " + e.denseLayers() + " dense layers of " + layers
                    + " leave none for the experts");
        }
        if (!(weightBytes > 0 && weightBytes <= 4) || !(kvBytes > 0 && kvBytes <= 4)) {
            throw new ConfigFault("model profile " + name + ": weight and KV bytes must be in (0, 4]");
        }
    }

    /**
     * The same model served with {@code weightBytes} per weight and {@code kvBytes} per cached element (for example
     * 1 and 1: FP8 weights and an FP8 KV cache, as NVIDIA NIM serves Llama).
     */
    public ModelProfile servedWith(double weightBytes, double kvBytes) {
        return new ModelProfile(name, layers, hidden, vocab, attention, feedForward, weightBytes, kvBytes, source
                + "; served with " + weightBytes + " B weights and " + kvBytes + " B KV");
    }

    /** Every built-in profile. */
    public static List<ModelProfile> builtIn() {
        return BUILT_IN;
    }

    /** Whether its feed-forward blocks are experts. */
    public boolean mixtureOfExperts() {
        return feedForward instanceof FeedForward.Experts;
    }

    /**
     * Its experts.
     *
     * @throws ConfigFault when it is a dense model
     */
    public FeedForward.Experts experts() {
        if (feedForward instanceof FeedForward.Experts e) {
            return e;
        }
        throw new ConfigFault("model " + name + " is dense: it has no experts to dispatch to");
    }

    /** Layers with a dense MLP: all of a dense model's, the leading ones of a mixture of experts. */
    public int denseLayers() {
        return switch (feedForward) {
            case FeedForward.Dense d -> layers;
            case FeedForward.Experts e -> e.denseLayers();
        };
    }

    /** Layers with experts. */
    public int moeLayers() {
        return layers - denseLayers();
    }

    /** Weights of one layer's attention. */
    public double attentionParams() {
        return attention.params(hidden);
    }

    /** Weights of one dense layer's MLP. */
    public double denseMlpParams() {
        return switch (feedForward) {
            case FeedForward.Dense d -> FeedForward.mlpParams(hidden, d.intermediate());
            case FeedForward.Experts e -> FeedForward.mlpParams(hidden, e.denseIntermediate());
        };
    }

    /** Weights of the output head (the embedding table is as large, and only looked up). */
    public double headParams() {
        return (double) hidden * vocab;
    }

    /** Every weight: layers, embedding and output head (norms are too few to count). */
    public double totalParams() {
        double experts = switch (feedForward) {
            case FeedForward.Dense d -> 0;
            case FeedForward.Experts e -> (double) moeLayers() * (e.routed() + e.shared()) * e.expertParams(hidden);
        };
        return layers * attentionParams() + denseLayers() * denseMlpParams() + experts + 2 * headParams();
    }

    /**
     * Weights one token's forward pass multiplies by in the layers (attention projections, its dense MLP or its
     * shared and top-k experts), without the output head, which runs only for tokens that are sampled.
     */
    public double activeLayerParams() {
        double experts = switch (feedForward) {
            case FeedForward.Dense d -> 0;
            case FeedForward.Experts e -> (double) moeLayers() * (e.topK() + e.shared()) * e.expertParams(hidden);
        };
        return layers * attentionParams() + denseLayers() * denseMlpParams() + experts;
    }

    /** Bytes one token's KV cache takes in one layer. */
    public double kvBytesPerTokenLayer() {
        return attention.cachedElementsPerToken() * kvBytes;
    }

    /** Bytes one token's KV cache takes over every layer. */
    public long kvBytesPerToken() {
        return Math.round(kvBytesPerTokenLayer() * layers);
    }

    /**
     * A built-in profile by name (case-insensitive), or the profile a config.json file holds.
     *
     * @throws ConfigFault naming the built-ins, or the file and key at fault
     */
    public static ModelProfile byNameOrFile(String nameOrFile) {
        String wanted = nameOrFile == null ? "" : nameOrFile.trim().toLowerCase(Locale.ROOT);
        for (ModelProfile m : BUILT_IN) {
            if (m.name.equals(wanted)) {
                return m;
            }
        }
        if (ALIASES.containsKey(wanted)) {
            return ALIASES.get(wanted);
        }
        Path file = Path.of(nameOrFile == null ? "" : nameOrFile);
        if (!Files.isRegularFile(file)) {
            throw new ConfigFault("unknown model '" + nameOrFile + "' (built in: "
                    + String.join(", ", BUILT_IN.stream().map(ModelProfile::name).toList()) + "; or a config.json)");
        }
        return read(file);
    }

    /**
     * The profile a Hugging Face style {@code config.json} describes. Always {@code num_hidden_layers},
     * {@code hidden_size}, {@code num_attention_heads} and {@code vocab_size}. Latent attention when it has
     * {@code kv_lora_rank} (with {@code q_lora_rank}, {@code qk_nope_head_dim}, {@code qk_rope_head_dim},
     * {@code v_head_dim}), else grouped-query attention ({@code num_key_value_heads}, default the heads;
     * {@code head_dim}, default hidden / heads). Experts when it has {@code n_routed_experts} or {@code num_experts}
     * (with {@code num_experts_per_tok}, {@code moe_intermediate_size}, and optionally {@code n_shared_experts},
     * {@code first_k_dense_replace} and {@code intermediate_size}), or Mixtral's {@code num_local_experts} (experts of
     * {@code intermediate_size} in every layer), else a dense MLP ({@code intermediate_size}).
     * Optionally {@code name}, {@code weight_bytes} (else 1 for a checkpoint with a {@code quantization_config}, 4
     * for {@code torch_dtype} float32, 2 otherwise), {@code kv_bytes} (2) and {@code source}. Every other key is
     * ignored, and a key set to {@code null} (as some configs give {@code q_lora_rank}) is taken as left out.
     */
    public static ModelProfile read(Path file) {
        JsonObject json = JsonObject.read(file, true);
        require(json, file, "num_hidden_layers", "hidden_size", "num_attention_heads", "vocab_size");
        int hidden = json.smallInteger("hidden_size", 0);
        int heads = json.smallInteger("num_attention_heads", 0);
        Attention attention;
        if (json.has("kv_lora_rank")) {
            require(json, file, "qk_rope_head_dim", "v_head_dim");
            attention = new Attention.Latent(heads, json.smallInteger("q_lora_rank", 0),
                    json.smallInteger("kv_lora_rank", 0), json.smallInteger("qk_nope_head_dim", 0),
                    json.smallInteger("qk_rope_head_dim", 0), json.smallInteger("v_head_dim", 0));
        } else {
            attention = new Attention.GroupedQuery(heads, json.smallInteger("num_key_value_heads", heads),
                    json.smallInteger("head_dim", heads > 0 ? hidden / heads : 0));
        }
        FeedForward feedForward;
        String routed = json.has("n_routed_experts") ? "n_routed_experts" : json.has("num_experts") ? "num_experts" : null;
        if (routed != null) {
            require(json, file, "num_experts_per_tok", "moe_intermediate_size");
            feedForward = new FeedForward.Experts(json.smallInteger(routed, 0), json.smallInteger("n_shared_experts", 0),
                    json.smallInteger("num_experts_per_tok", 0), json.smallInteger("moe_intermediate_size", 0),
                    json.smallInteger("first_k_dense_replace", 0), json.smallInteger("intermediate_size", 0));
        } else if (json.has("num_local_experts")) {
            // Mixtral's form: every layer's MLP is replaced by experts of intermediate_size each.
            require(json, file, "num_experts_per_tok", "intermediate_size");
            feedForward = new FeedForward.Experts(json.smallInteger("num_local_experts", 0), 0,
                    json.smallInteger("num_experts_per_tok", 0), json.smallInteger("intermediate_size", 0), 0, 0);
        } else {
            require(json, file, "intermediate_size");
            feedForward = new FeedForward.Dense(json.smallInteger("intermediate_size", 0));
        }
        String dtype = json.string("torch_dtype", "bfloat16").toLowerCase(Locale.ROOT);
        double weightBytes = json.has("quantization_config") ? 1 : dtype.equals("float32") ? 4 : 2;
        return new ModelProfile(json.string("name", file.getFileName().toString()),
                json.smallInteger("num_hidden_layers", 0), hidden, json.smallInteger("vocab_size", 0), attention,
                feedForward, json.number("weight_bytes", weightBytes), json.number("kv_bytes", 2),
                json.string("source", "A: defined in " + file.getFileName()));
    }

    private static void require(JsonObject json, Path file, String... keys) {
        for (String key : keys) {
            if (!json.has(key)) {
                throw new ConfigFault("model " + file + " needs '" + key + "'");
            }
        }
    }
}
