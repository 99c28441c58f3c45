package io.supernode.serving.profile;

import io.supernode.gas.config.JsonObject;
import io.supernode.gas.fault.ConfigFault;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * An accelerator as a serving step sees it: dense compute, HBM bandwidth and capacity, its scale-up link (what a
 * tensor-parallel group's all-reduces cross), and how much of compute and bandwidth a serving kernel reaches.
 * Built-ins carry their sources; {@link #read} takes the same fields from a JSON file.
 *
 * <p>The reachable shares are fitted, not assumed: MFU 0.50 and HBM utilization 0.62 make {@code StepCost} meet
 * NVIDIA's published NIM measurements of Llama 3.1 8B (one H100) and Llama 3.3 70B (two H100s), FP8, at 1k to 20k
 * prompt tokens and their time per output token, within 5 % (D). They are carried to the other accelerators (A).
 *
 * @param name                  e.g. {@code h800}
 * @param bf16Flops             dense BF16 FLOP/s
 * @param eightBitFlops         dense FP8 (or INT8, where there is no FP8) FLOP/s, what 8-bit weights' GEMMs run at
 * @param hbmBytesPerSecond     HBM bandwidth
 * @param hbmBytes              HBM capacity
 * @param scaleUpBytesPerSecond bandwidth of its scale-up link (NVLink, UB) in each direction; 0 when unknown
 * @param mfu                   share of peak FLOP/s a GEMM or attention kernel reaches
 * @param bandwidthUtilization  share of HBM bandwidth a memory-bound kernel reaches
 * @param source                where the numbers come from
 */
public record HardwareProfile(String name, double bf16Flops, double eightBitFlops, double hbmBytesPerSecond,
                              long hbmBytes, double scaleUpBytesPerSecond, double mfu, double bandwidthUtilization,
                              String source) {

    /** Reachable share of peak FLOP/s (D: fitted to NIM's H100 figures, see above). */
    public static final double FITTED_MFU = 0.50;
    /** Reachable share of HBM bandwidth (D: fitted to NIM's H100 time per output token, see above). */
    public static final double FITTED_BANDWIDTH_UTILIZATION = 0.62;
    private static final String UTILIZATION = "; MFU 0.50 and HBM utilization 0.62 D (fitted on the H100)";

    /**
     * NVIDIA H800 SXM5: 989 TFLOP/s BF16 and 1,979 FP8 dense, 3.35 TB/s, 80 GB, NVLink 400 GB/s (200 each way) (C:
     * NVIDIA H800 product brief).
     */
    public static final HardwareProfile H800 = new HardwareProfile("h800", 989e12, 1979e12, 3.35e12, 80_000_000_000L,
            200e9, FITTED_MFU, FITTED_BANDWIDTH_UTILIZATION,
            "C: NVIDIA H800 SXM5 product brief (as the H100 SXM's compute and HBM)" + UTILIZATION + ", A here");
    /**
     * NVIDIA H100 SXM: 989 TFLOP/s BF16 and 1,979 FP8 dense, 3.35 TB/s, 80 GB, NVLink 900 GB/s (450 each way) (C:
     * NVIDIA H100 datasheet).
     */
    public static final HardwareProfile H100 = new HardwareProfile("h100", 989e12, 1979e12, 3.35e12, 80_000_000_000L,
            450e9, FITTED_MFU, FITTED_BANDWIDTH_UTILIZATION, "C: NVIDIA H100 SXM datasheet" + UTILIZATION);
    /**
     * NVIDIA A800 SXM4 80 GB (the A100's export variant, NVLink cut to 400 GB/s, 200 each way): 312 TFLOP/s BF16 and
     * 624 TOP/s INT8 dense (no FP8), 2.039 TB/s, 80 GB (C: NVIDIA A800 datasheet, the A100 SXM4 80 GB's compute and
     * HBM).
     */
    public static final HardwareProfile A800 = new HardwareProfile("a800", 312e12, 624e12, 2.039e12, 80_000_000_000L,
            200e9, FITTED_MFU, FITTED_BANDWIDTH_UTILIZATION,
            "C: NVIDIA A800 SXM4 datasheet (as the A100 SXM4 80 GB's compute and HBM)" + UTILIZATION + ", A here");
    /**
     * NVIDIA A100 SXM4 80 GB: 312 TFLOP/s BF16 and 624 TOP/s INT8 dense (no FP8), 2.039 TB/s, 80 GB, NVLink 600 GB/s
     * (300 each way) (C: NVIDIA A100 datasheet).
     */
    public static final HardwareProfile A100 = new HardwareProfile("a100", 312e12, 624e12, 2.039e12, 80_000_000_000L,
            300e9, FITTED_MFU, FITTED_BANDWIDTH_UTILIZATION, "C: NVIDIA A100 SXM4 80 GB datasheet" + UTILIZATION + ", A here");
    /**
     * A GB200 NVL72's Blackwell GPU: 2.5 PFLOP/s BF16 and 5 FP8 dense, 8 TB/s, 186 GB, NVLink 5 1.8 TB/s (900 GB/s
     * each way) (C: NVIDIA GB200 NVL72 specification, 180 PFLOP/s dense BF16, 576 TB/s and 13.4 TB over 72 GPUs).
     */
    public static final HardwareProfile B200 = new HardwareProfile("b200", 2.5e15, 5e15, 8e12, 186_000_000_000L,
            900e9, FITTED_MFU, FITTED_BANDWIDTH_UTILIZATION,
            "C: NVIDIA GB200 NVL72 specification, per GPU" + UTILIZATION + ", A here");
    /**
     * Huawei Ascend 910C: 752 TFLOP/s BF16 and 1,504 INT8 dense (no FP8), 3.2 TB/s, 128 GB, UB 392 GB/s each way (C:
     * Zuo et al., CloudMatrix384, arXiv 2506.12708: two dies of 376 TFLOP/s BF16; ~300 PFLOP/s over 384 NPUs).
     */
    public static final HardwareProfile ASCEND_910C = new HardwareProfile("ascend-910c", 752e12, 1504e12, 3.2e12,
            128_000_000_000L, 392e9, FITTED_MFU, FITTED_BANDWIDTH_UTILIZATION,
            "C: CloudMatrix384 paper, arXiv 2506.12708" + UTILIZATION + ", A here");

    private static final List<HardwareProfile> BUILT_IN = List.of(H800, H100, A800, A100, B200, ASCEND_910C);
    private static final Set<String> KEYS = Set.of("name", "bf16Tflops", "eightBitTflops", "hbmTBps", "hbmGB",
            "scaleUpGBps", "mfu", "bandwidthUtilization", "source");

    /** Checks the numbers. */
    public HardwareProfile {
        if (name == null || name.isBlank() || source == null) {
            throw new ConfigFault("a hardware profile needs a name and a source");
        }
        if (!(bf16Flops > 0) || !(eightBitFlops > 0) || !(hbmBytesPerSecond > 0) || hbmBytes <= 0
                || !Double.isFinite(bf16Flops) || !Double.isFinite(eightBitFlops) || !Double.isFinite(hbmBytesPerSecond)
                || hbmBytes == Long.MAX_VALUE) {
            throw new ConfigFault("hardware profile " + name + ": compute, bandwidth and capacity must be finite and > 0");
        }
        if (!(scaleUpBytesPerSecond >= 0) || !Double.isFinite(scaleUpBytesPerSecond)) {
            throw new ConfigFault("hardware profile " + name + ": scale-up bandwidth must be finite and >= 0");
        }
        if (!(mfu > 0 && mfu <= 1) || !(bandwidthUtilization > 0 && bandwidthUtilization <= 1)) {
            throw new ConfigFault("hardware profile " + name + ": mfu and bandwidthUtilization must be in (0, 1]");
        }
    }

    /** Dense FLOP/s on operands of {@code elementBytes}: the 8-bit peak for 1 byte or less, the BF16 peak otherwise. */
    public double peakFlops(double elementBytes) {
        return elementBytes <= 1 ? eightBitFlops : bf16Flops;
    }

    /** Every built-in profile. */
    public static List<HardwareProfile> builtIn() {
        return BUILT_IN;
    }

    /**
     * A built-in profile by name, or the profile a JSON file holds ({@code name}, {@code bf16Tflops},
     * {@code eightBitTflops}, {@code hbmTBps}, {@code hbmGB}, and optionally {@code scaleUpGBps} (each way; needed
     * for a node of more than one accelerator), {@code mfu}, {@code bandwidthUtilization} and {@code source}).
     *
     * @throws ConfigFault naming the built-ins, or the file and key at fault
     */
    public static HardwareProfile byNameOrFile(String nameOrFile) {
        String wanted = nameOrFile == null ? "" : nameOrFile.trim().toLowerCase(Locale.ROOT);
        for (HardwareProfile h : BUILT_IN) {
            if (h.name.equals(wanted)) {
                return h;
            }
        }
        Path file = Path.of(nameOrFile == null ? "" : nameOrFile);
        if (!Files.isRegularFile(file)) {
            throw new ConfigFault("unknown hardware '" + nameOrFile + "' (built in: "
                    + String.join(", ", BUILT_IN.stream().map(HardwareProfile::name).toList()) + "; or a JSON file)");
        }
        return read(file);
    }

    /** The profile a JSON file holds (see {@link #byNameOrFile}). */
    public static HardwareProfile read(Path file) {
        JsonObject json = JsonObject.read(file);
        json.requireOnly(KEYS, "hardware profile " + file);
        for (String key : List.of("name", "bf16Tflops", "eightBitTflops", "hbmTBps", "hbmGB")) {
            if (!json.has(key)) {
                throw new ConfigFault("hardware profile " + file + " needs '" + key + "'");
            }
        }
        return new HardwareProfile(json.string("name", ""), json.number("bf16Tflops", 0) * 1e12,
                json.number("eightBitTflops", 0) * 1e12, json.number("hbmTBps", 0) * 1e12,
                (long) (json.number("hbmGB", 0) * 1e9), json.number("scaleUpGBps", 0) * 1e9,
                json.number("mfu", FITTED_MFU), json.number("bandwidthUtilization", FITTED_BANDWIDTH_UTILIZATION),
                json.string("source", "A: defined in " + file.getFileName()));
    }
}
