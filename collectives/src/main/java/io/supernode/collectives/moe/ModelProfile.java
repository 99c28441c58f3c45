package io.supernode.collectives.moe;

import io.supernode.gas.config.JsonObject;
import io.supernode.gas.fault.ConfigFault;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * A mixture-of-experts transformer with multi-head latent attention (MLA), shaped as DeepSeek-V3 is, in the terms of
 * its Hugging Face {@code config.json}: {@link #read} takes such a file as it is (keys it does not know are left
 * alone, as a config carries many).
 *
 * @param name               e.g. {@code deepseek-v3}
 * @param layers             transformer layers ({@code num_hidden_layers})
 * @param denseLayers        leading layers with a dense MLP instead of experts ({@code first_k_dense_replace})
 * @param hidden             hidden size
 * @param heads              attention heads
 * @param qLoraRank          query compression rank (0: queries projected directly)
 * @param kvLoraRank         key-value latent rank, what the KV cache holds per token besides the rotary key
 * @param qkNopeHeadDim      per head, query and key dimensions without rotary embedding
 * @param qkRopeHeadDim      per head, rotary dimensions (one shared rotary key per token is cached)
 * @param vHeadDim           per head, value dimensions
 * @param routedExperts      routed experts per MoE layer
 * @param sharedExperts      shared experts per MoE layer, run on every token
 * @param topK               routed experts per token
 * @param moeIntermediate    an expert's intermediate size (gate, up and down projections)
 * @param denseIntermediate  a dense layer's MLP intermediate size
 * @param vocab              vocabulary (the output head's rows)
 * @param weightBytes        bytes per weight (1: FP8 or INT8 weights)
 * @param kvBytes            bytes per cached KV element (2: BF16)
 * @param source             where the numbers come from
 */
public record ModelProfile(String name, int layers, int denseLayers, int hidden, int heads, int qLoraRank,
                           int kvLoraRank, int qkNopeHeadDim, int qkRopeHeadDim, int vHeadDim, int routedExperts,
                           int sharedExperts, int topK, int moeIntermediate, int denseIntermediate, int vocab,
                           double weightBytes, double kvBytes, String source) {

    /**
     * DeepSeek-V3 (and R1, the same shape): 61 layers, the first 3 dense, hidden 7168, 128 heads, MLA with ranks 1536
     * (query) and 512 (KV) and 64 rotary dimensions, 256 routed experts and 1 shared per MoE layer, top-8, expert
     * intermediate 2048, dense 18432, vocabulary 129,280; FP8 weights, BF16 KV cache (70 KB per token) (C: DeepSeek-V3
     * technical report, arXiv 2412.19437, and its config.json).
     */
    public static final ModelProfile DEEPSEEK_V3 = new ModelProfile("deepseek-v3", 61, 3, 7168, 128, 1536, 512, 128, 64,
            128, 256, 1, 8, 2048, 18432, 129_280, 1, 2,
            "C: DeepSeek-V3 technical report (arXiv 2412.19437) and config.json; FP8 weights, BF16 KV cache");

    private static final List<ModelProfile> BUILT_IN = List.of(DEEPSEEK_V3);

    /** Checks the numbers. */
    public ModelProfile {
        if (name == null || name.isBlank() || source == null) {
            throw new ConfigFault("a model profile needs a name and a source");
        }
        if (layers < 1 || denseLayers < 0 || denseLayers >= layers || hidden < 1 || heads < 1 || qLoraRank < 0
                || kvLoraRank < 1 || qkNopeHeadDim < 0 || qkRopeHeadDim < 0 || vHeadDim < 1 || routedExperts < 1
                || sharedExperts < 0 || topK < 1 || topK > routedExperts || moeIntermediate < 1 || denseIntermediate < 0
                || vocab < 1) {
            throw new ConfigFault("model profile " + name + ": sizes must be positive, dense layers fewer than layers "
                    + "and top-k at most the routed experts");
        }
        if (routedExperts > MoeSpec.MAX_EXPERTS || topK > MoeSpec.MAX_TOP_K || hidden > MoeSpec.MAX_HIDDEN) {
            throw new ConfigFault("model profile " + name + ": at most " + MoeSpec.MAX_EXPERTS + " experts, top-"
                    + MoeSpec.MAX_TOP_K + " and hidden " + MoeSpec.MAX_HIDDEN);
        }
        if (!(weightBytes > 0 && weightBytes <= 4) || !(kvBytes > 0 && kvBytes <= 4)) {
            throw new ConfigFault("model profile " + name + ": weight and KV bytes must be in (0, 4]");
        }
    }

    /** Layers with experts. */
    public int moeLayers() {
        return layers - denseLayers;
    }

    /** Weights of one layer's attention: query (through its low rank), latent KV, key and value up-projections, output. */
    public double attentionParams() {
        double query = qLoraRank > 0
                ? (double) hidden * qLoraRank + (double) qLoraRank * heads * (qkNopeHeadDim + qkRopeHeadDim)
                : (double) hidden * heads * (qkNopeHeadDim + qkRopeHeadDim);
        double latent = (double) hidden * (kvLoraRank + qkRopeHeadDim);
        double upProjection = (double) kvLoraRank * heads * (qkNopeHeadDim + vHeadDim);
        double output = (double) heads * vHeadDim * hidden;
        return query + latent + upProjection + output;
    }

    /**
     * FLOPs of one token attending to one earlier token in one layer, every head. Decoding runs MLA with its
     * up-projections absorbed into the query and output ({@code absorbed}): scores over the cached latent and rotary
     * key, values over the latent. Prefill runs it as ordinary multi-head attention over keys and values projected up
     * once per token (those projections are among {@link #attentionParams()}): scores over the full query-key
     * dimension, values over the value dimension.
     */
    public double attentionFlopsPerContextToken(boolean absorbed) {
        return absorbed ? 2.0 * heads * (kvLoraRank + qkRopeHeadDim + kvLoraRank)
                : 2.0 * heads * (qkNopeHeadDim + qkRopeHeadDim + vHeadDim);
    }

    /** Bytes one token's KV cache takes in one layer: its latent and rotary key. */
    public double kvBytesPerTokenLayer() {
        return (kvLoraRank + qkRopeHeadDim) * kvBytes;
    }

    /** Weights of one expert: gate, up and down projections. */
    public double expertParams() {
        return 3.0 * hidden * moeIntermediate;
    }

    /** Weights of one dense layer's MLP. */
    public double denseMlpParams() {
        return 3.0 * hidden * denseIntermediate;
    }

    /** Weights of the output head (the embedding table is as large, and only looked up). */
    public double headParams() {
        return (double) hidden * vocab;
    }

    /**
     * A built-in profile by name, or the profile a JSON file holds.
     *
     * @throws ConfigFault naming the built-ins, or the file and key at fault
     */
    public static ModelProfile byNameOrFile(String nameOrFile) {
        String wanted = nameOrFile == null ? "" : nameOrFile.trim().toLowerCase(Locale.ROOT);
        for (ModelProfile m : BUILT_IN) {
            if (m.name.equals(wanted) || wanted.equals("deepseek-r1") && m == DEEPSEEK_V3) {
                return m;
            }
        }
        Path file = Path.of(nameOrFile == null ? "" : nameOrFile);
        if (!Files.isRegularFile(file)) {
            throw new ConfigFault("unknown model '" + nameOrFile + "' (built in: deepseek-v3, deepseek-r1; or a "
                    + "config.json)");
        }
        return read(file);
    }

    /**
     * The profile a Hugging Face style {@code config.json} describes: {@code num_hidden_layers},
     * {@code first_k_dense_replace}, {@code hidden_size}, {@code num_attention_heads}, {@code q_lora_rank},
     * {@code kv_lora_rank}, {@code qk_nope_head_dim}, {@code qk_rope_head_dim}, {@code v_head_dim},
     * {@code n_routed_experts}, {@code n_shared_experts}, {@code num_experts_per_tok}, {@code moe_intermediate_size},
     * {@code intermediate_size}, {@code vocab_size}, and optionally {@code name}, {@code weight_bytes} (1),
     * {@code kv_bytes} (2) and {@code source}; every other key is ignored, and a key set to {@code null} (as some
     * configs give {@code q_lora_rank}) is taken as left out.
     */
    public static ModelProfile read(Path file) {
        JsonObject json = JsonObject.read(file, true);
        for (String key : List.of("num_hidden_layers", "hidden_size", "num_attention_heads", "kv_lora_rank",
                "qk_rope_head_dim", "v_head_dim", "n_routed_experts", "num_experts_per_tok", "moe_intermediate_size",
                "vocab_size")) {
            if (!json.has(key)) {
                throw new ConfigFault("model " + file + " needs '" + key + "'");
            }
        }
        return new ModelProfile(json.string("name", file.getFileName().toString()), json.smallInteger("num_hidden_layers", 0),
                json.smallInteger("first_k_dense_replace", 0), json.smallInteger("hidden_size", 0),
                json.smallInteger("num_attention_heads", 0), json.smallInteger("q_lora_rank", 0),
                json.smallInteger("kv_lora_rank", 0), json.smallInteger("qk_nope_head_dim", 0),
                json.smallInteger("qk_rope_head_dim", 0), json.smallInteger("v_head_dim", 0),
                json.smallInteger("n_routed_experts", 0), json.smallInteger("n_shared_experts", 0),
                json.smallInteger("num_experts_per_tok", 0), json.smallInteger("moe_intermediate_size", 0),
                json.smallInteger("intermediate_size", 0), json.smallInteger("vocab_size", 0),
                json.number("weight_bytes", 1), json.number("kv_bytes", 2),
                json.string("source", "A: defined in " + file.getFileName()));
    }
}
