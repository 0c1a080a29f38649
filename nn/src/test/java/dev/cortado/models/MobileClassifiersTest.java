package dev.cortado.models;

import dev.cortado.nn.BatchNorm2d;
import dev.cortado.nn.Conv2d;
import dev.cortado.nn.Linear;
import dev.cortado.nn.Module;
import dev.cortado.tensor.Cortado;
import dev.cortado.tensor.Device;
import dev.cortado.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Map;

import static dev.cortado.testing.Inputs.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SqueezeNet, ShuffleNetV2, MNASNet and RegNet: torchvision's keys and shapes, RegNet's stage
 * settings for all fifteen builders, training on small images, the initialisation rules and the
 * errors. (Outputs against torchvision on its random weights are measured outside the unit tests.)
 */
class MobileClassifiersTest {
    @BeforeAll
    static void onTheCpu() {
        Cortado.setDefaultDevice(Device.CPU);
    }

    @Test
    void haveTorchvisionsKeysAndShapes() throws IOException {
        ModelsTest.assertSameKeys("squeezenet1_0", SqueezeNet.squeezenet1_0());
        ModelsTest.assertSameKeys("shufflenet_v2_x1_0", ShuffleNetV2.shufflenet_v2_x1_0());
        ModelsTest.assertSameKeys("mnasnet0_5", MNASNet.mnasnet0_5());
        ModelsTest.assertSameKeys("regnet_y_400mf", RegNet.regnet_y_400mf());
        ModelsTest.assertSameKeys("regnet_x_400mf", RegNet.regnet_x_400mf());
    }

    /** torchvision 0.14's BlockParams (depths, widths, group widths) for every builder. */
    @Test
    void regNetStagesFollowTorchvisionsDesigns() {
        Map<String, int[][]> want = Map.ofEntries(
                Map.entry("regnet_y_400mf", new int[][] {{1, 3, 6, 6}, {48, 104, 208, 440}, {8, 8, 8, 8}}),
                Map.entry("regnet_y_800mf", new int[][] {{1, 3, 8, 2}, {64, 144, 320, 784}, {16, 16, 16, 16}}),
                Map.entry("regnet_y_1_6gf", new int[][] {{2, 6, 17, 2}, {48, 120, 336, 888}, {24, 24, 24, 24}}),
                Map.entry("regnet_y_3_2gf", new int[][] {{2, 5, 13, 1}, {72, 216, 576, 1512}, {24, 24, 24, 24}}),
                Map.entry("regnet_y_8gf", new int[][] {{2, 4, 10, 1}, {224, 448, 896, 2016}, {56, 56, 56, 56}}),
                Map.entry("regnet_y_16gf", new int[][] {{2, 4, 11, 1}, {224, 448, 1232, 3024}, {112, 112, 112, 112}}),
                Map.entry("regnet_y_32gf", new int[][] {{2, 5, 12, 1}, {232, 696, 1392, 3712}, {232, 232, 232, 232}}),
                Map.entry("regnet_y_128gf", new int[][] {{2, 7, 17, 1}, {528, 1056, 2904, 7392}, {264, 264, 264, 264}}),
                Map.entry("regnet_x_400mf", new int[][] {{1, 2, 7, 12}, {32, 64, 160, 400}, {16, 16, 16, 16}}),
                Map.entry("regnet_x_800mf", new int[][] {{1, 3, 7, 5}, {64, 128, 288, 672}, {16, 16, 16, 16}}),
                Map.entry("regnet_x_1_6gf", new int[][] {{2, 4, 10, 2}, {72, 168, 408, 912}, {24, 24, 24, 24}}),
                Map.entry("regnet_x_3_2gf", new int[][] {{2, 6, 15, 2}, {96, 192, 432, 1008}, {48, 48, 48, 48}}),
                Map.entry("regnet_x_8gf", new int[][] {{2, 5, 15, 1}, {80, 240, 720, 1920}, {80, 120, 120, 120}}),
                Map.entry("regnet_x_16gf", new int[][] {{2, 6, 13, 1}, {256, 512, 896, 2048}, {128, 128, 128, 128}}),
                Map.entry("regnet_x_32gf", new int[][] {{2, 7, 13, 1}, {336, 672, 1344, 2520}, {168, 168, 168, 168}}));
        for (var e : want.entrySet()) {
            RegNet.BlockParams p = RegNet.blockParams(e.getKey());
            assertArrayEquals(e.getValue()[0], p.depths(), e.getKey() + " depths");
            assertArrayEquals(e.getValue()[1], p.widths(), e.getKey() + " widths");
            assertArrayEquals(e.getValue()[2], p.groupWidths(), e.getKey() + " group widths");
            assertEquals(e.getKey().startsWith("regnet_y") ? 0.25 : 0, p.seRatio(), e.getKey());
        }
        assertMessage(() -> RegNet.BlockParams.fromInitParams(16, 44, 27.89, 2.09, 8, 0.25), "RegNet: invalid settings", "w_0 44",
                "a positive multiple of 8");
        assertMessage(() -> RegNet.BlockParams.fromInitParams(16, 48, 27.89, 1.0, 8, 0.25), "w_m 1.0", "w_m > 1");
        assertMessage(() -> RegNet.BlockParams.fromInitParams(16, 48, 27.89, 2.09, 0, 0.25), "RegNet: group_width must be positive, got 0");
        assertMessage(() -> RegNet.blockParams("regnet_z_1gf"), "RegNet: unknown builder \"regnet_z_1gf\"", "regnet_x_16gf");
    }

    @Test
    void classifySmallImagesAndTrain() {
        Module[] models = {new SqueezeNet("1_1", 10, 0.5), new ShuffleNetV2(new int[] {1, 1, 1}, new int[] {8, 16, 32, 64, 96}, 10),
            new MNASNet(0.25, 10, 0.2), new RegNet(RegNet.BlockParams.fromInitParams(4, 16, 8, 2, 8, 0.25), 10)};
        for (Module m : models) {
            String name = m.getClass().getSimpleName();
            Tensor y = m.call(Tensor.randn(2, 3, 64, 64));
            assertArrayEquals(new int[] {2, 10}, y.shape(), name);
            y.square().mean().backward();
            assertTrue(m.parameters().stream().allMatch(p -> p.grad() != null), name + ": every parameter has a gradient");
            m.eval();
            assertArrayEquals(new int[] {1, 10}, m.call(Tensor.randn(1, 3, 64, 64)).shape(), name);
            assertMessage(() -> m.call(Tensor.randn(1, 1, 64, 64)), name + ": expects (N, 3, H, W) images, got shape (1, 1, 64, 64)");
        }
    }

    @Test
    void initialisationFollowsTorchvision() {
        SqueezeNet squeeze = new SqueezeNet("1_0", 1000, 0.5);
        Conv2d last = (Conv2d) squeeze.classifier().get(1);
        assertEquals(0.01, Math.sqrt(last.weight.square().mean().item()), 5e-4, "the last convolution starts small");
        Conv2d stem = (Conv2d) squeeze.features().get(0);
        // Kaiming uniform with fan in: U(±√2·√(3 / fan_in)), whose std is √(2 / fan_in).
        double fanIn = 3 * 7 * 7;
        assertEquals(Math.sqrt(2 / fanIn), Math.sqrt(stem.weight.square().mean().item()), 0.06 * Math.sqrt(2 / fanIn));
        assertEquals(0, stem.bias.abs().max().item(), 0);

        MNASNet mnas = MNASNet.mnasnet1_0();
        Linear fc = (Linear) mnas.classifier().get(1);
        // Kaiming uniform with fan out and the sigmoid's gain 1: std √(1 / fan_out).
        assertEquals(Math.sqrt(1.0 / 1000), Math.sqrt(fc.weight.square().mean().item()), 0.03 * Math.sqrt(1.0 / 1000));
        BatchNorm2d bn = (BatchNorm2d) mnas.layers().get(1);
        assertEquals(1 - 0.9997, bn.momentum(), 1e-12, "TensorFlow's decay of 0.9997");

        RegNet regnet = RegNet.regnet_x_400mf();
        assertEquals(0.01, Math.sqrt(regnet.fc().weight.square().mean().item()), 5e-4);
    }

    @Test
    void theLastLayerCanBeReplaced() {
        ShuffleNetV2 shuffle = new ShuffleNetV2(new int[] {1, 1, 1}, new int[] {8, 16, 32, 64, 96}, 10);
        Linear head = new Linear(96, 3);
        shuffle.replaceFc(head);
        assertSame(head, shuffle.fc());
        assertArrayEquals(new int[] {3, 96}, shuffle.stateDict().get("fc.weight").shape());
        RegNet regnet = new RegNet(RegNet.BlockParams.fromInitParams(4, 16, 8, 2, 8, 0), 10);
        regnet.replaceFc(new Linear(regnet.fc().weight.size(1), 4));
        assertArrayEquals(new int[] {1, 4}, regnet.call(Tensor.randn(1, 3, 32, 32)).shape());
        // resetClassifier, whatever the last layer is called: SqueezeNet's is a 1×1 convolution.
        ImageClassifier[] models = {new SqueezeNet("1_1", 10, 0.5), new MNASNet(0.25, 10, 0.2), shuffle, regnet,
            new MobileNetV2(10, 0.5, 0.2), ResNet.resnet18(10)};
        for (ImageClassifier model : models) {
            Module layer = model.resetClassifier(3);
            Module m = (Module) model;
            String name = m.getClass().getSimpleName();
            assertTrue(m.modules().stream().anyMatch(x -> x == layer), name + ": the new layer is in the model");
            m.eval();
            assertArrayEquals(new int[] {2, 3}, m.call(Tensor.randn(2, 3, 64, 64)).shape(), name);
            assertMessage(() -> model.resetClassifier(0), name + ": num_classes must be positive, got 0");
        }
        assertArrayEquals(new int[] {3, 512, 1, 1}, new SqueezeNet("1_0").resetClassifier(3).weight.shape());
    }

    @Test
    void badSettingsAreNamed() {
        assertMessage(() -> new SqueezeNet("1_2"), "SqueezeNet: unsupported version \"1_2\": 1_0 or 1_1 expected");
        assertMessage(() -> new ShuffleNetV2(new int[] {4, 8}, new int[] {24, 48, 96, 192, 1024}, 10),
                "ShuffleNetV2: expected stages_repeats as 3 positive ints, got [4, 8]");
        assertMessage(() -> new ShuffleNetV2(new int[] {4, 8, 4}, new int[] {24, 48, 96, 192}, 10), "stages_out_channels as 5 positive ints");
        assertMessage(() -> new ShuffleNetV2(new int[] {2, 1, 1}, new int[] {8, 15, 32, 64, 96}, 10), "a stride-1 unit needs in = out / 2 · 2");
        assertMessage(() -> new MNASNet(0), "MNASNet: alpha must be positive, got 0.0");
        assertMessage(() -> new MNASNet(1.0, 0, 0.2), "MNASNet: num_classes must be positive, got 0");
    }
}
