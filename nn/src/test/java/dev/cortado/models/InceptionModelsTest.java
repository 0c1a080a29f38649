package dev.cortado.models;

import dev.cortado.autograd.GradMode;
import dev.cortado.nn.Conv2d;
import dev.cortado.nn.Linear;
import dev.cortado.nn.Module;
import dev.cortado.tensor.Cortado;
import dev.cortado.tensor.Device;
import dev.cortado.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static dev.cortado.testing.Inputs.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * GoogLeNet and Inception v3: torchvision's keys and shapes, the auxiliary classifiers (run only
 * in training, through forwardWithAux, and removable), and the pretrained builders'
 * transform_input and auxiliary heads.
 */
class InceptionModelsTest {
    @BeforeAll
    static void onTheCpu() {
        Cortado.setDefaultDevice(Device.CPU);
    }


    @Test
    void googLeNetTrainsWithItsAuxiliaryClassifiers() {
        GoogLeNet model = new GoogLeNet(5, true, false, 0.2, 0.7);
        Tensor x = Tensor.randn(2, 3, 96, 96);
        GoogLeNet.Outputs out = model.forwardWithAux(x);
        assertArrayEquals(new int[] {2, 5}, out.logits().shape());
        assertArrayEquals(new int[] {2, 5}, out.aux1().shape());
        assertArrayEquals(new int[] {2, 5}, out.aux2().shape());
        out.logits().square().mean().add(out.aux1().square().mean().add(out.aux2().square().mean()).mul(0.3)).backward();
        assertTrue(model.parameters().stream().allMatch(p -> p.grad() != null), "every parameter, the auxiliary ones too, has a gradient");
        // Fine-tuning replaces the auxiliary classifiers' last layers too.
        model.resetClassifier(3);
        GoogLeNet.Outputs three = model.forwardWithAux(x);
        assertArrayEquals(new int[] {2, 3}, three.aux1().shape());
        assertArrayEquals(new int[] {2, 3}, three.aux2().shape());
        model.eval();
        GoogLeNet.Outputs evaluated = model.forwardWithAux(x);
        assertNull(evaluated.aux1());
        assertNull(evaluated.aux2());
        assertEquals(0, evaluated.logits().sub(model.call(x)).abs().max().item(), 0, "forward is forwardWithAux's logits");

        int before = model.stateDict().size();
        model.dropAuxLogits();
        assertTrue(model.stateDict().keySet().stream().noneMatch(k -> k.startsWith("aux")));
        assertEquals(before - 2 * 10, model.stateDict().size(), "each auxiliary head: a conv, a batch norm's 5 entries, fc1 and fc2 with biases");
        model.train();
        assertNull(model.forwardWithAux(x).aux1());
        assertMessage(() -> model.call(Tensor.randn(1, 3, 96)), "GoogLeNet: expects (N, 3, H, W) images, got shape (1, 3, 96)");
    }

    @Test
    void inceptionV3TrainsWithItsAuxiliaryClassifier() {
        Inception3 model = new Inception3(4, true, false, 0.5);
        Tensor x = Tensor.randn(2, 3, 299, 299);
        Inception3.Outputs out = model.forwardWithAux(x);
        assertArrayEquals(new int[] {2, 4}, out.logits().shape());
        assertArrayEquals(new int[] {2, 4}, out.aux().shape());
        out.logits().square().mean().add(out.aux().square().mean().mul(0.4)).backward();
        assertTrue(model.parameters().stream().allMatch(p -> p.grad() != null));
        assertArrayEquals(new int[] {2, 2048}, model.resetClassifier(2).weight.shape());
        assertArrayEquals(new int[] {2, 768}, model.stateDict().get("AuxLogits.fc.weight").shape());
        model.dropAuxLogits();
        assertFalse(model.stateDict().keySet().stream().anyMatch(k -> k.startsWith("AuxLogits")));
        // Without the auxiliary head the model runs down to its smallest size, 75×75, in training too.
        assertNull(model.forwardWithAux(Tensor.randn(2, 3, 75, 75)).aux());
    }

    /**
     * torchvision's keys and shapes, and its initialisation: truncated normal within ±2, std 0.01
     * for GoogLeNet; 0.1 for Inception v3, 0.001 for its auxiliary fc.
     */
    @Test
    void haveTorchvisionsKeysShapesAndInitialisation() throws IOException {
        GoogLeNet googlenet = GoogLeNet.googlenet();
        ModelsTest.assertSameKeys("googlenet", googlenet);
        assertEquals(0.01, Math.sqrt(googlenet.fc().weight.square().mean().item()), 5e-4);
        Inception3 inception = Inception3.inception_v3();
        ModelsTest.assertSameKeys("inception_v3", inception);
        Conv2d stem = (Conv2d) inception.namedModules().get("Conv2d_4a_3x3.conv");
        assertEquals(0.1, Math.sqrt(stem.weight.square().mean().item()), 0.005);
        Linear auxFc = (Linear) inception.namedModules().get("AuxLogits.fc");
        assertEquals(0.001, Math.sqrt(auxFc.weight.square().mean().item()), 5e-5);
        assertTrue(inception.fc().weight.abs().max().item() <= 2);
    }

    /**
     * The pretrained builders map ImageNet-normalised inputs back to the [-1, 1] the weights were
     * trained on; GoogLeNet's then drops its untrained auxiliary heads (Inception's keeps its own).
     */
    @Test
    void pretrainedFilesLoadAsTorchvisionsBuildersLoadThem(@TempDir Path dir) throws IOException {
        GoogLeNet trained = new GoogLeNet(1000, true, false, 0.2, 0.7);
        Path file = dir.resolve("googlenet.pth");
        dev.cortado.io.TorchSerialization.save(new java.util.LinkedHashMap<>(trained.stateDict()), file);
        Module loaded = Models.getModel("googlenet", file);
        assertTrue(loaded.stateDict().keySet().stream().noneMatch(k -> k.startsWith("aux")));
        trained.eval();
        loaded.eval();
        // An image of ImageNet's mean is 0 after normalisation; the pretrained model must see it as 2·mean − 1.
        double[] mean = {0.485, 0.456, 0.406};
        Tensor zero = Tensor.zeros(1, 3, 64, 64);
        Tensor asTrained = Tensor.cat(java.util.List.of(Tensor.full(new int[] {1, 1, 64, 64}, 2 * mean[0] - 1),
                Tensor.full(new int[] {1, 1, 64, 64}, 2 * mean[1] - 1), Tensor.full(new int[] {1, 1, 64, 64}, 2 * mean[2] - 1)), 1);
        try (var off = GradMode.off()) {
            Tensor want = trained.call(asTrained);
            assertEquals(0, loaded.call(zero).sub(want).abs().max().item(), 1e-5 * Math.max(1, want.abs().max().item()));
        }
        java.util.Map<String, Tensor> noAux = new java.util.LinkedHashMap<>(trained.stateDict());
        noAux.keySet().removeIf(k -> k.startsWith("aux"));
        Path bare = dir.resolve("bare.pth");
        dev.cortado.io.TorchSerialization.save(new java.util.LinkedHashMap<>(noAux), bare);
        assertMessage(() -> Models.getModel("googlenet", bare), "bare.pth", "aux1.conv.conv.weight");
    }
}
