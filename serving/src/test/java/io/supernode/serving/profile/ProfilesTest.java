package io.supernode.serving.profile;

import io.supernode.gas.fault.ConfigFault;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The built-in models have their published sizes; profiles read from files, and bad ones are typed faults. */
class ProfilesTest {

    @Test
    void builtInModelsHaveTheirPublishedParameterCountsAndKvSizes() {
        // Totals and active parameters as their model cards state them (C), within rounding of the stated figure.
        assertEquals(8.03e9, ModelProfile.LLAMA3_1_8B.totalParams(), 0.01e9);
        assertEquals(70.6e9, ModelProfile.LLAMA3_1_70B.totalParams(), 0.1e9);
        assertEquals(671e9, ModelProfile.DEEPSEEK_V3.totalParams(), 15e9);
        assertEquals(235e9, ModelProfile.QWEN3_235B_A22B.totalParams(), 1e9);
        // Active: the layers' active weights, the head and the embedding (which is only looked up).
        ModelProfile qwen = ModelProfile.QWEN3_235B_A22B;
        assertEquals(22e9, qwen.activeLayerParams() + 2 * qwen.headParams(), 0.5e9);
        ModelProfile v3 = ModelProfile.DEEPSEEK_V3;
        assertEquals(37e9, v3.activeLayerParams() + 2 * v3.headParams(), 1.5e9);
        // KV bytes per token: layers x KV heads x head dim x 2 (K and V) x 2 B; MLA's latent and rotary key.
        assertEquals(32L * 8 * 128 * 2 * 2, ModelProfile.LLAMA3_1_8B.kvBytesPerToken());
        assertEquals(80L * 8 * 128 * 2 * 2, ModelProfile.LLAMA3_1_70B.kvBytesPerToken());
        assertEquals(94L * 4 * 128 * 2 * 2, qwen.kvBytesPerToken());
        assertEquals(61L * (512 + 64) * 2, v3.kvBytesPerToken());
        assertFalse(ModelProfile.LLAMA3_1_8B.mixtureOfExperts());
        assertEquals(58, v3.moeLayers());
        assertEquals(94, qwen.moeLayers());
    }

    @Test
    void namesAndAliasesFindTheBuiltIns() {
        assertSame(ModelProfile.DEEPSEEK_V3, ModelProfile.byNameOrFile("DeepSeek-R1"));
        assertSame(ModelProfile.LLAMA3_1_8B, ModelProfile.byNameOrFile("llama3-8b"));
        assertSame(ModelProfile.QWEN3_235B_A22B, ModelProfile.byNameOrFile(" qwen3-235b-a22b "));
        assertSame(HardwareProfile.A800, HardwareProfile.byNameOrFile("A800"));
        assertEquals(6, HardwareProfile.builtIn().size());
    }

    @Test
    void configJsonFilesOfEachFamilyRead(@TempDir Path dir) throws Exception {
        Path lite = dir.resolve("deepseek-v2-lite.json");
        Files.writeString(lite, """
                {"architectures": ["DeepseekV2ForCausalLM"], "num_hidden_layers": 27, "first_k_dense_replace": 1,
                 "hidden_size": 2048, "num_attention_heads": 16, "q_lora_rank": null, "kv_lora_rank": 512,
                 "qk_nope_head_dim": 128, "qk_rope_head_dim": 64, "v_head_dim": 128, "n_routed_experts": 64,
                 "n_shared_experts": 2, "num_experts_per_tok": 6, "moe_intermediate_size": 1408,
                 "intermediate_size": 10944, "vocab_size": 102400, "torch_dtype": "bfloat16"}""");
        ModelProfile v2 = ModelProfile.byNameOrFile(lite.toString());
        assertEquals(26, v2.moeLayers());
        assertEquals(0, assertInstanceOf(Attention.Latent.class, v2.attention()).qLoraRank());
        assertEquals(15.7e9, v2.totalParams(), 0.3e9); // C: DeepSeek-V2-Lite, 15.7 B parameters
        assertEquals(2, v2.weightBytes());

        Path llama = dir.resolve("llama.json");
        Files.writeString(llama, """
                {"num_hidden_layers": 32, "hidden_size": 4096, "num_attention_heads": 32, "num_key_value_heads": 8,
                 "intermediate_size": 14336, "vocab_size": 128256, "torch_dtype": "bfloat16", "rope_theta": 500000.0}""");
        ModelProfile read = ModelProfile.read(llama);
        assertEquals(ModelProfile.LLAMA3_1_8B.totalParams(), read.totalParams(), 1);
        assertEquals(ModelProfile.LLAMA3_1_8B.kvBytesPerToken(), read.kvBytesPerToken());
        assertEquals("llama.json", read.name());

        Path qwen = dir.resolve("qwen3.json");
        Files.writeString(qwen, """
                {"name": "qwen3-fp8", "num_hidden_layers": 94, "hidden_size": 4096, "num_attention_heads": 64,
                 "num_key_value_heads": 4, "head_dim": 128, "num_experts": 128, "num_experts_per_tok": 8,
                 "moe_intermediate_size": 1536, "intermediate_size": 12288, "vocab_size": 151936,
                 "quantization_config": {"quant_method": "fp8"}}""");
        Path mixtral = dir.resolve("mixtral.json");
        Files.writeString(mixtral, """
                {"num_hidden_layers": 32, "hidden_size": 4096, "num_attention_heads": 32, "num_key_value_heads": 8,
                 "intermediate_size": 14336, "num_local_experts": 8, "num_experts_per_tok": 2, "vocab_size": 32000}""");
        ModelProfile mix = ModelProfile.read(mixtral);
        assertEquals(46.7e9, mix.totalParams(), 0.3e9); // C: Mixtral 8x7B, 46.7 B parameters, 12.9 B active
        assertEquals(12.9e9, mix.activeLayerParams() + 2 * mix.headParams(), 0.3e9);

        ModelProfile q = ModelProfile.read(qwen);
        assertEquals(ModelProfile.QWEN3_235B_A22B.totalParams(), q.totalParams(), 1);
        assertEquals(1, q.weightBytes());
        assertEquals(0, q.experts().shared());
    }

    @Test
    void badProfilesAreTypedFaultsNamingWhatIsWrong(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("m.json");
        Files.writeString(model, """
                {"num_hidden_layers": 32, "hidden_size": 4096, "num_attention_heads": 32, "vocab_size": 128256}""");
        ConfigFault missing = assertThrows(ConfigFault.class, () -> ModelProfile.read(model));
        assertTrue(missing.getMessage().contains("intermediate_size"), missing.getMessage());
        Files.writeString(model, """
                {"num_hidden_layers": 32, "hidden_size": 4096, "num_attention_heads": 32, "num_key_value_heads": 5,
                 "intermediate_size": 14336, "vocab_size": 128256}""");
        assertThrows(ConfigFault.class, () -> ModelProfile.read(model));
        Files.writeString(model, """
                {"num_hidden_layers": 3, "hidden_size": 64, "num_attention_heads": 4, "num_experts": 8,
                 "num_experts_per_tok": 9, "moe_intermediate_size": 32, "vocab_size": 100}""");
        assertThrows(ConfigFault.class, () -> ModelProfile.read(model));
        assertThrows(ConfigFault.class, () -> ModelProfile.LLAMA3_1_8B.experts());
        assertThrows(ConfigFault.class, () -> ModelProfile.byNameOrFile("gpt-7"));

        Path hardware = dir.resolve("npu.json");
        Files.writeString(hardware, """
                {"name": "npu", "bf16Tflops": 400, "eightBitTflops": 800, "hbmTBps": 1.6, "hbmGB": 64}""");
        HardwareProfile npu = HardwareProfile.byNameOrFile(hardware.toString());
        assertEquals(1.6e12, npu.hbmBytesPerSecond());
        assertEquals(HardwareProfile.FITTED_MFU, npu.mfu());
        Files.writeString(hardware, """
                {"name": "npu", "bf16Tflops": 400, "eightBitTflops": 800, "hbmTBps": 1.6, "hbmGb": 64}""");
        assertThrows(ConfigFault.class, () -> HardwareProfile.byNameOrFile(hardware.toString()));
        Files.writeString(hardware, """
                {"name": "npu", "bf16Tflops": 1e300, "eightBitTflops": 800, "hbmTBps": 1.6, "hbmGB": 64}""");
        assertThrows(ConfigFault.class, () -> HardwareProfile.byNameOrFile(hardware.toString()));
        assertThrows(ConfigFault.class, () -> HardwareProfile.byNameOrFile("tpu-v9"));
    }
}
