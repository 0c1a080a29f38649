package dev.cortado.models;

import dev.cortado.autograd.GradMode;
import dev.cortado.nn.BatchNorm2d;
import dev.cortado.nn.Conv2d;
import dev.cortado.nn.Init;
import dev.cortado.nn.Linear;
import dev.cortado.nn.Module;
import dev.cortado.nn.Sequential;
import dev.cortado.tensor.Cortado;
import dev.cortado.tensor.Device;
import dev.cortado.tensor.Shapes;
import dev.cortado.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.cortado.testing.Inputs.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * torchvision's architectures: every state-dict key and shape as torchvision 0.14 lists them
 * ({@code models/make_keys.py}), so its files load strictly; the forward pass's shapes, the
 * initialisation rules and the weights' cache. (Outputs against torchvision, on its own random
 * weights, are measured outside the unit tests: the models are too large for them.)
 */
class ModelsTest {
    @BeforeAll
    static void onTheCpu() {
        Cortado.setDefaultDevice(Device.CPU);
    }

    /** torchvision's keys and shapes of one model, in its order. */
    private static Map<String, String> torchvision(String model) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new java.util.zip.GZIPInputStream(
                ModelsTest.class.getResourceAsStream("/models/torchvision_keys.txt.gz")), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                String[] parts = line.split(" ", 3);
                if (parts[0].equals(model)) {
                    out.put(parts[1], parts[2]);
                }
            }
        }
        assertTrue(!out.isEmpty(), "no keys listed for " + model);
        return out;
    }

    private static Map<String, String> keys(Module m) {
        Map<String, String> out = new LinkedHashMap<>();
        m.stateDict().forEach((k, v) -> out.put(k, Shapes.str(v.shape()).replaceAll("[() ]", "").replaceAll(",$", "")));
        return out;
    }

    static void assertSameKeys(String model, Module m) throws IOException {
        Map<String, String> want = torchvision(model);
        Map<String, String> got = keys(m);
        assertEquals(new ArrayList<>(want.keySet()), new ArrayList<>(got.keySet()), model + ": state-dict keys in order");
        assertEquals(want, got, model + ": shapes");
    }

    @Test
    void resnetsHaveTorchvisionsKeysAndShapes() throws IOException {
        assertSameKeys("resnet18", ResNet.resnet18());
        assertSameKeys("resnet50", ResNet.resnet50());
        assertSameKeys("resnext50_32x4d", ResNet.resnext50_32x4d());
    }

    @Test
    void mobileNetsHaveTorchvisionsKeysAndShapes() throws IOException {
        assertSameKeys("mobilenet_v2", new MobileNetV2());
        assertSameKeys("mobilenet_v3_large", MobileNetV3.mobilenet_v3_large());
        assertSameKeys("mobilenet_v3_small", MobileNetV3.mobilenet_v3_small());
    }

    @Test
    void mobileNetsClassifyAndTrain() {
        for (Module m : new Module[] {new MobileNetV2(10, 0.5, 0.2), MobileNetV3.mobilenet_v3_small(10)}) {
            Tensor y = m.call(Tensor.randn(2, 3, 32, 32));
            assertArrayEquals(new int[] {2, 10}, y.shape());
            y.square().mean().backward();
            assertTrue(m.parameters().stream().allMatch(p -> p.grad() != null), m.getClass().getSimpleName() + ": every parameter has a gradient");
        }
        // width_mult scales every layer, rounded to multiples of 8 (32 · 0.5 = 16 stem channels).
        assertArrayEquals(new int[] {16, 3, 3, 3}, new MobileNetV2(10, 0.5, 0.2).stateDict().get("features.0.0.weight").shape());
        assertEquals(8, Layers.makeDivisible(3, 8));
        assertEquals(40, Layers.makeDivisible(36, 8));
        assertEquals(24, Layers.makeDivisible(22, 8));
        assertMessage(() -> MobileNetV3.mobilenet_v3_small(0), "MobileNetV3: num_classes must be positive, got 0");
    }

    @Test
    void efficientNetsHaveTorchvisionsKeysAndShapes() throws IOException {
        assertSameKeys("efficientnet_b0", EfficientNet.efficientnet_b0());
        assertSameKeys("efficientnet_b3", EfficientNet.efficientnet_b3());
        assertSameKeys("efficientnet_v2_s", EfficientNet.efficientnet_v2_s());
    }

    @Test
    void convNeXtHasTorchvisionsKeysAndTrains() throws IOException {
        assertSameKeys("convnext_tiny", ConvNeXt.convnext_tiny());
        ConvNeXt model = ConvNeXt.convnext_tiny(10);
        Tensor y = model.call(Tensor.randn(2, 3, 32, 32));
        assertArrayEquals(new int[] {2, 10}, y.shape());
        y.square().mean().backward();
        assertTrue(model.parameters().stream().allMatch(p -> p.grad() != null));
        assertEquals(1e-6, model.stateDict().get("features.1.0.layer_scale").max().item(), 1e-12);
        LayerNorm2d norm = new LayerNorm2d(4, 1e-6);
        Tensor x = Tensor.randn(2, 4, 3, 5);
        Tensor normed = norm.call(x);
        assertEquals(0, normed.mean(1, false).abs().max().item(), 1e-5, "each pixel's channels have mean 0");
        assertMessage(() -> norm.call(Tensor.randn(2, 3, 3, 5)), "LayerNorm2d: expected (N, 4, H, W), got (2, 3, 3, 5)");
    }

    @Test
    void visionTransformerHasTorchvisionsKeysAndTrains() throws IOException {
        VisionTransformer vit = new VisionTransformer(32, 8, 2, 2, 16, 32, 0, 0, 10);
        assertSameKeys("vit_tiny", vit);
        try (var off = GradMode.off()) {
            Init.normal_(vit.head().weight, 0, 0.1);
        }
        Tensor y = vit.call(Tensor.randn(3, 3, 32, 32));
        assertArrayEquals(new int[] {3, 10}, y.shape());
        y.square().mean().backward();
        assertTrue(vit.parameters().stream().allMatch(p -> p.grad() != null), "every parameter has a gradient");
        Linear head = vit.replaceHead(new Linear(16, 4));
        assertSame(head, vit.head());
        assertArrayEquals(new int[] {3, 4}, vit.call(Tensor.randn(3, 3, 32, 32)).shape());
        assertMessage(() -> vit.call(Tensor.randn(1, 3, 28, 28)), "VisionTransformer: expects (N, 3, 32, 32) images, got (1, 3, 28, 28)");
        assertMessage(() -> new VisionTransformer(30, 8, 1, 1, 8, 8, 0, 0, 10), "indivisible by patch size (30 by 8)");
    }

    /** A pretrained ViT is built for the image size of its file (SWAG's weights are for 384 to 518 pixels). */
    @Test
    void visionTransformerTakesItsImageSizeFromTheFile(@TempDir Path dir) throws IOException {
        VisionTransformer trained = new VisionTransformer(48, 8, 1, 2, 16, 32, 0, 0, 1000);
        Path file = dir.resolve("vit.pth");
        dev.cortado.io.TorchSerialization.save(new LinkedHashMap<>(trained.stateDict()), file);
        VisionTransformer loaded = VisionTransformer.pretrained(new int[] {8, 1, 2, 16, 32}, file);
        trained.eval();
        loaded.eval();
        Tensor x = Tensor.randn(1, 3, 48, 48);
        assertEquals(0, loaded.call(x).sub(trained.call(x)).abs().max().item(), 0);
        assertMessage(() -> loaded.call(Tensor.randn(1, 3, 32, 32)), "expects (N, 3, 48, 48) images");
        Map<String, Tensor> odd = new LinkedHashMap<>(trained.stateDict());
        odd.put("encoder.pos_embedding", Tensor.zeros(1, 36, 16));
        Path bad = dir.resolve("odd.pth");
        dev.cortado.io.TorchSerialization.save(new LinkedHashMap<>(odd), bad);
        assertMessage(() -> VisionTransformer.pretrained(new int[] {8, 1, 2, 16, 32}, bad), "odd.pth", "35 patch positions, not a square grid");
    }

    @Test
    void denseNetHasTorchvisionsKeysAndLoadsItsOlderFiles(@TempDir Path dir) throws IOException {
        assertSameKeys("densenet121", DenseNet.densenet121());
        DenseNet small = new DenseNet(4, new int[] {2, 2}, 8, 2, 0, 3);
        assertArrayEquals(new int[] {2, 3}, small.call(Tensor.randn(2, 3, 32, 32)).shape());
        // torchvision's files: a layer's parts named norm.1 and conv.2, and no batch counts (saved before PyTorch 0.4.1).
        Map<String, Object> legacy = new LinkedHashMap<>();
        small.stateDict().forEach((k, v) -> {
            if (!k.endsWith("num_batches_tracked")) {
                legacy.put(k.replaceAll("(denselayer\\d+\\.(?:norm|relu|conv))([12])\\.", "$1.$2."), v);
            }
        });
        assertTrue(legacy.containsKey("features.denseblock1.denselayer1.norm.1.weight"));
        Path file = dir.resolve("densenet.pth");
        dev.cortado.io.TorchSerialization.save(legacy, file);
        DenseNet loaded = new DenseNet(4, new int[] {2, 2}, 8, 2, 0, 3);
        Weights.loadFile(loaded, file);
        for (var e : small.stateDict().entrySet()) {
            if (!e.getKey().endsWith("num_batches_tracked")) {
                assertEquals(0, loaded.stateDict().get(e.getKey()).sub(e.getValue()).abs().max().item(), 0, e.getKey());
            }
        }
        assertEquals(0, loaded.stateDict().get("features.norm0.num_batches_tracked").item());
        Linear head = loaded.replaceClassifier(new Linear(loaded.classifier().weight.size(1), 5));
        assertSame(head, loaded.classifier());
        assertMessage(() -> new DenseNet(4, new int[0], 8, 2, 0, 3), "DenseNet: needs blocks");
    }

    /** Stochastic depth drops whole samples' residual branches in training and is the identity in evaluation. */
    @Test
    void efficientNetTrainsWithStochasticDepth() {
        EfficientNet model = EfficientNet.efficientnet_b0(10);
        Tensor y = model.call(Tensor.randn(2, 3, 32, 32));
        assertArrayEquals(new int[] {2, 10}, y.shape());
        y.square().mean().backward();
        assertTrue(model.parameters().stream().allMatch(p -> p.grad() != null));
        StochasticDepth sd = new StochasticDepth(0.5, "row");
        Tensor x = Tensor.ones(400, 3);
        Tensor kept = sd.call(x);
        Tensor rows = kept.amax(1, false);
        assertEquals(0, kept.sub(rows.unsqueeze(1)).abs().max().item(), 0, "a row is dropped or kept whole");
        assertTrue(rows.eq(0).logicalOr(rows.eq(2)).all().item() == 1, "kept rows are scaled by 1 / (1 - p)");
        double share = rows.eq(2).mean().item();
        assertTrue(share > 0.4 && share < 0.6, "about half the rows survive, got " + share);
        sd.eval();
        assertSame(x, sd.call(x));
        Tensor batch = new StochasticDepth(0.5, "batch").call(x);
        assertTrue(batch.max().item() == batch.min().item(), "batch mode drops or keeps the whole batch");
        assertMessage(() -> new StochasticDepth(1.5, "row"), "drop probability has to be between 0 and 1, but got 1.5");
        assertMessage(() -> new StochasticDepth(0.1, "col"), "mode has to be either 'batch' or 'row', but got 'col'");
    }

    @Test
    void vggFeatureLayersHaveTorchvisionsIndices() throws IOException {
        assertSameKeys("vgg11_bn.features", VGG.makeLayers(new int[] {64, -1, 128, -1, 256, 256, -1, 512, 512, -1, 512, 512, -1}, true));
        assertSameKeys("vgg16.features", VGG.makeLayers(new int[] {64, 64, -1, 128, 128, -1, 256, 256, 256, -1, 512, 512, 512, -1, 512, 512,
            512, -1}, false));
    }

    @Test
    void resnetForwardGivesOneScorePerClassAndTrains() {
        ResNet model = ResNet.resnet18(10);
        Tensor x = Tensor.randn(2, 3, 32, 32);
        Tensor y = model.call(x);
        assertArrayEquals(new int[] {2, 10}, y.shape());
        y.sum().backward();
        assertArrayEquals(new int[] {64, 3, 7, 7}, model.namedParameters().get("conv1.weight").grad().shape());
        assertMessage(() -> model.call(Tensor.randn(2, 1, 64, 64)), "ResNet: expects (N, 3, H, W) images", "(2, 1, 64, 64)");
        // Dilation keeps layer3 and layer4 at layer2's resolution, with the same parameters.
        ResNet dilated = new ResNet(ResNet.Block.BOTTLENECK, new int[] {1, 1, 1, 1}, 5, false, 1, 64, new boolean[] {false, true, true});
        assertArrayEquals(new int[] {1, 5}, dilated.call(Tensor.randn(1, 3, 32, 32)).shape());
        assertMessage(() -> new ResNet(ResNet.Block.BASIC, new int[] {1, 1, 1, 2}, 5, false, 1, 64, new boolean[] {false, false, true}),
                "BasicBlock does not support dilation");
        assertMessage(() -> new ResNet(ResNet.Block.BASIC, new int[] {2, 2, 2}, 5, false, 1, 64, null), "4 stages");
        assertMessage(() -> new ResNet(ResNet.Block.BASIC, new int[] {2, 2, 2, 2}, 5, false, 32, 4, null), "BasicBlock only supports groups=1");
    }

    /** Convolutions Kaiming normal with fan_out, batch norms at 1 and 0, and zero_init_residual's zeros. */
    @Test
    void initialisationFollowsTorchvision() {
        ResNet model = new ResNet(ResNet.Block.BASIC, new int[] {1, 1, 1, 1}, 10, true, 1, 64, null);
        for (var e : model.namedModules().entrySet()) {
            if (e.getValue() instanceof Conv2d c && c.weight.numel() > 20000) {
                int fanOut = c.weight.size(0) * c.weight.size(2) * c.weight.size(3);
                double std = Math.sqrt(c.weight.square().mean().item());
                assertEquals(Math.sqrt(2.0 / fanOut), std, 0.05 * Math.sqrt(2.0 / fanOut), e.getKey());
            }
            if (e.getValue() instanceof BatchNorm2d b) {
                double want = e.getKey().endsWith(".bn2") ? 0 : 1;
                assertEquals(want, b.weight.min().item(), 0, e.getKey());
                assertEquals(want, b.weight.max().item(), 0, e.getKey());
                assertEquals(0, b.bias.abs().max().item(), 0, e.getKey());
            }
        }
        // VGG's linear rule, on a small stand-in.
        Sequential head = new Sequential(new Linear(400, 300));
        Layers.initialise(head, 0.01);
        Linear l = (Linear) head.get(0);
        assertEquals(0.01, Math.sqrt(l.weight.square().mean().item()), 5e-4);
        assertEquals(0, l.bias.abs().max().item(), 0);
    }

    @Test
    void theClassifierCanBeReplacedForFineTuning() {
        ResNet model = ResNet.resnet18(1000);
        try (var off = GradMode.off()) {
            model.parameters().forEach(p -> p.requiresGrad_(false));
        }
        Linear head = model.replaceFc(new Linear(model.fc().weight.size(1), 3));
        assertSame(head, model.fc());
        assertArrayEquals(new int[] {3, 512}, model.stateDict().get("fc.weight").shape());
        assertEquals(2, model.parameters().stream().filter(Tensor::requiresGrad).count());
        model.eval();
        assertArrayEquals(new int[] {1, 3}, model.call(Tensor.randn(1, 3, 32, 32)).shape());
        Sequential classifier = new Sequential(new Linear(8, 4), new Linear(4, 2));
        classifier.set(1, new Linear(4, 5));
        assertArrayEquals(new int[] {1, 5}, classifier.call(Tensor.randn(1, 8)).shape());
        assertMessage(() -> classifier.set(2, new Linear(4, 5)), "Sequential: index 2 is out of range for 2 modules");
    }

    @Test
    void weightsComeFromTheCacheFolderAndNameTheirArchitecture(@TempDir Path dir) throws IOException {
        Path cached = Files.writeString(dir.resolve("resnet18-f37072fd.pth"), "stand-in");
        assertEquals(cached, Weights.RESNET18_IMAGENET1K_V1.fetch(dir, null));
        assertEquals("https://download.pytorch.org/models/resnet18-f37072fd.pth", Weights.RESNET18_IMAGENET1K_V1.url());
        assertEquals(232, Weights.RESNET50_IMAGENET1K_V2.resizeSize());
        Weights v2l = Weights.EFFICIENTNET_V2_L_IMAGENET1K_V1;
        assertEquals(List.of(480, 480, "bicubic"), List.of(v2l.resizeSize(), v2l.cropSize(), v2l.interpolation()));
        assertArrayEquals(new double[] {0.5, 0.5, 0.5}, v2l.std());
        assertArrayEquals(Weights.MEAN, Weights.EFFICIENTNET_B0_IMAGENET1K_V1.mean());
        List<String> names = Weights.VGG16_IMAGENET1K_V1.categories();
        assertEquals(List.of("tench", "goldfish", "great white shark"), names.subList(0, 3));
        assertEquals("toilet tissue", names.get(999));
        assertTrue(Weights.cacheFolder().endsWith(Path.of("hub", "checkpoints")), Weights.cacheFolder().toString());
        assertMessage(() -> Weights.RESNET50_IMAGENET1K_V1.loadInto(ResNet.resnet18(), "resnet18"),
                "Weights RESNET50_IMAGENET1K_V1 are for resnet50, not resnet18");
        for (Weights w : Weights.values()) {
            // Older files spell widths as "x0.5", "x1" or "1.0": compared without dots, underscores and a last 0.
            String stem = w.architecture().replaceAll("[._]", "").replaceAll("0$", "");
            assertTrue(w.fileName().replaceAll("[._]", "").startsWith(stem) && w.fileName().matches(".*-[0-9a-f]{8,10}\\.pth"), w.fileName());
        }
        assertEquals(Weights.REGNET_Y_16GF_IMAGENET1K_V2, Weights.defaultFor("regnet_y_16gf"));
        assertEquals(Weights.REGNET_Y_128GF_IMAGENET1K_SWAG_E2E_V1, Weights.defaultFor("regnet_y_128gf"));
        Weights swag = Weights.REGNET_Y_32GF_IMAGENET1K_SWAG_E2E_V1;
        assertEquals(List.of(384, 384, "bicubic"), List.of(swag.resizeSize(), swag.cropSize(), swag.interpolation()));
        Weights inception = Weights.INCEPTION_V3_IMAGENET1K_V1;
        assertEquals(List.of(342, 299), List.of(inception.resizeSize(), inception.cropSize()));
    }

    @Test
    void theRegistryBuildsByTorchvisionsNames() {
        List<String> names = Models.listModels();
        assertEquals(80, names.size());
        assertEquals(names.stream().sorted().toList(), names);
        for (String name : names) {
            assertEquals(name, Weights.defaultFor(name).architecture());
        }
        // ViT-H/14's only published weights are SWAG's; the end-to-end ones, for 518×518 inputs, are its default.
        assertEquals(Weights.VIT_H_14_IMAGENET1K_SWAG_E2E_V1, Weights.defaultFor("vit_h_14"));
        assertEquals(518, Weights.VIT_H_14_IMAGENET1K_SWAG_E2E_V1.cropSize());
        assertEquals(Weights.RESNET50_IMAGENET1K_V2, Weights.defaultFor("resnet50"));
        assertEquals(Weights.RESNET18_IMAGENET1K_V1, Weights.defaultFor("resnet18"));
        assertTrue(Models.getModel("mobilenet_v3_small") instanceof MobileNetV3);
        assertMessage(() -> Models.getModel("resnet19"), "unknown model \"resnet19\"", "resnet18");
        assertEquals(List.of(Weights.REGNET_Y_16GF_IMAGENET1K_V1, Weights.REGNET_Y_16GF_IMAGENET1K_SWAG_E2E_V1,
                Weights.REGNET_Y_16GF_IMAGENET1K_SWAG_LINEAR_V1, Weights.REGNET_Y_16GF_IMAGENET1K_V2), Models.getModelWeights("regnet_y_16gf"));
        assertMessage(() -> Models.getModelWeights("lenet"), "unknown model \"lenet\"");
        assertMessage(() -> Weights.defaultFor("lenet"), "no pretrained weights for \"lenet\"");
    }

    @Test
    void replacingAMissingChildIsNamed() {
        assertMessage(() -> new Sequential(new Linear(2, 2)).set(-1, new Linear(2, 2)), "index -1 is out of range");
        List<Module> none = List.of();
        assertEquals(0, new Sequential(none).size());
    }
}
