package dev.cortado.examples.bench;

import dev.cortado.cuda.EmulatedCudaProvider;
import dev.cortado.models.MNASNet;
import dev.cortado.models.MaxVit;
import dev.cortado.models.RegNet;
import dev.cortado.models.ShuffleNetV2;
import dev.cortado.models.SqueezeNet;
import dev.cortado.models.SwinTransformer;
import dev.cortado.nn.F;
import dev.cortado.nn.Module;
import dev.cortado.tensor.Cortado;
import dev.cortado.tensor.Device;
import dev.cortado.tensor.Tensor;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Small versions of torchvision's newer architectures (SqueezeNet's concatenations, ShuffleNet's
 * channel shuffle, MNASNet's depthwise layers, RegNet's grouped convolutions and
 * squeeze-excitation, Swin's rolled windows and MaxViT's partitions) on the emulated GPU against
 * the CPU: one training-mode forward and backward from the same weights and batch. Every op they
 * use must exist on the CUDA backend and agree with the CPU's. Gradients are compared by relative
 * norm, within 1 %: through batch norms over few values (2×2 maps of 4 samples at the end) and
 * ReLUs, a rounding difference moves single elements far. PyTorch's float32 gradients of RegNet-X
 * at such sizes differ from its float64 ones by up to 1.9 % in norm; a wrong op differs by its
 * whole size.
 */
class EmulatedCudaTorchvisionModelsTest {
    @BeforeAll
    static void needsEmulator() {
        String why = EmulatedCudaProvider.whyNotBuilt();
        if (why != null) {
            System.out.println("emulated CUDA torchvision models skipped: " + why);
        }
        Assumptions.assumeTrue(why == null, "the kernel emulator cannot be built here");
    }

    private static final Map<String, Supplier<Module>> MODELS = Map.of(
            "squeezenet", () -> new SqueezeNet("1_1", 5, 0),
            "shufflenet", () -> new ShuffleNetV2(new int[] {1, 1, 1}, new int[] {8, 16, 32, 64, 96}, 5),
            "mnasnet", () -> new MNASNet(0.25, 5, 0),
            "regnet", () -> new RegNet(RegNet.BlockParams.fromInitParams(4, 16, 8, 2, 8, 0.25), 5),
            "swin", () -> new SwinTransformer(4, 16, new int[] {2, 2}, new int[] {1, 2}, 3, 0, 5, false),
            "swin_v2", () -> new SwinTransformer(4, 16, new int[] {2, 2}, new int[] {1, 2}, 3, 0, 5, true),
            "maxvit", () -> new MaxVit(28, 8, 7, new int[] {16}, new int[] {1}, 8, 0, 5));

    @ParameterizedTest
    @ValueSource(strings = {"squeezenet", "shufflenet", "mnasnet", "regnet", "swin", "swin_v2", "maxvit"})
    void aForwardAndBackwardOnTheEmulatedGpuMatchTheCpu(String name) {
        Cortado.setDefaultDevice(Device.CPU);
        Cortado.manualSeed(0);
        Module cpu = MODELS.get(name).get();
        Cortado.manualSeed(0);
        Module gpu = MODELS.get(name).get().to(EmulatedCudaProvider.DEVICE);
        Cortado.manualSeed(1);
        // MNASNet reduces by 32: at 64 pixels its last batch norms see 2×2 maps, at 32 single pixels.
        int side = switch (name) {
            case "maxvit" -> 28;
            case "mnasnet" -> 64;
            default -> 32;
        };
        Tensor x = Tensor.randn(4, 3, side, side);
        Tensor y = Tensor.randint(0, 5, 4);
        double lossCpu = run(cpu, x, y);
        double lossGpu = run(gpu, x.to(EmulatedCudaProvider.DEVICE), y.to(EmulatedCudaProvider.DEVICE));
        assertEquals(lossCpu, lossGpu, 1e-4 * (1 + Math.abs(lossCpu)), name + ": loss");
        Map<String, Tensor> reference = cpu.namedParameters();
        // A floor at 1e-5 of the largest gradient: some are rounding noise by construction (a batch
        // norm's bias just before a convolution and another batch norm, whose true gradient is 0).
        double largest = reference.values().stream().mapToDouble(p -> Math.sqrt(p.grad().square().sum().item())).max().orElse(0);
        for (var e : gpu.namedParameters().entrySet()) {
            Tensor want = reference.get(e.getKey()).grad();
            Tensor got = e.getValue().grad().to(Device.CPU);
            double norm = Math.sqrt(want.square().sum().item());
            double diff = Math.sqrt(got.sub(want).square().sum().item());
            assertTrue(diff <= 1e-2 * norm + 1e-5 * largest, name + " " + e.getKey() + ": gradients differ by " + diff + " of " + norm);
        }
    }

    private static double run(Module m, Tensor x, Tensor y) {
        m.train();
        Tensor loss = F.crossEntropy(m.call(x), y);
        loss.backward();
        return loss.item();
    }
}
