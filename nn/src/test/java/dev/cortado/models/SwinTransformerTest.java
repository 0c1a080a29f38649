package dev.cortado.models;

import dev.cortado.nn.Linear;
import dev.cortado.tensor.Cortado;
import dev.cortado.tensor.Device;
import dev.cortado.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static dev.cortado.testing.Inputs.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Swin Transformer v1 and v2: torchvision's keys and shapes, training on images that are not
 * multiples of the window, the shifted windows' mask, and the errors. (Outputs against
 * torchvision on its random weights are measured outside the unit tests.)
 */
class SwinTransformerTest {
    @BeforeAll
    static void onTheCpu() {
        Cortado.setDefaultDevice(Device.CPU);
    }

    @Test
    void hasTorchvisionsKeysAndShapes() throws IOException {
        ModelsTest.assertSameKeys("swin_t", SwinTransformer.swin_t());
        ModelsTest.assertSameKeys("swin_v2_t", SwinTransformer.swin_v2_t());
    }

    @Test
    void trainsOnImagesThatAreNotMultiplesOfTheWindow() {
        for (boolean v2 : new boolean[] {false, true}) {
            SwinTransformer model = new SwinTransformer(4, 16, new int[] {2, 2}, new int[] {1, 2}, 3, 0.1, 5, v2);
            // 36×44 pixels: 9×11 patches, padded to windows of 3 and merged (with padding) to 5×6.
            Tensor y = model.call(Tensor.randn(2, 3, 36, 44));
            assertArrayEquals(new int[] {2, 5}, y.shape());
            y.square().mean().backward();
            assertTrue(model.parameters().stream().allMatch(p -> p.grad() != null), "every parameter has a gradient (v2 " + v2 + ")");
            model.eval();
            assertArrayEquals(new int[] {1, 5}, model.call(Tensor.randn(1, 3, 20, 20)).shape());
            Linear head = model.resetClassifier(3);
            assertEquals(32, head.weight.size(1));
            assertArrayEquals(new int[] {1, 3}, model.call(Tensor.randn(1, 3, 20, 20)).shape());
        }
    }

    /** A pixel's output does not depend on pixels the roll brought next to it from the far side of the image. */
    @Test
    void shiftedWindowsDoNotMixAcrossTheWrap() {
        SwinTransformer.WindowAttention attention = new SwinTransformer.WindowAttention(4, 4, 2, 1, false);
        attention.eval();
        Tensor x = Tensor.randn(1, 8, 8, 4);
        Tensor base = attention.call(x);
        // Rolled by −2, pixel (6, 6) shares a window with (7, 7) and with (0, 0), which came from the far side: changing it
        // moves (7, 7)'s output and leaves (0, 0)'s alone.
        Tensor changed = x.clone();
        try (var off = dev.cortado.autograd.GradMode.off()) {
            changed.narrow(1, 6, 1).narrow(2, 6, 1).add_(Tensor.randn(1, 1, 1, 4));
        }
        Tensor after = attention.call(changed);
        assertEquals(0, after.select(1, 0).select(1, 0).sub(base.select(1, 0).select(1, 0)).abs().max().item(), 1e-6);
        assertTrue(after.select(1, 7).select(1, 7).sub(base.select(1, 7).select(1, 7)).abs().max().item() > 1e-4);
    }

    @Test
    void badSettingsAreNamed() {
        assertMessage(() -> new SwinTransformer(4, 96, new int[] {2, 2}, new int[] {3}, 7, 0.2, 10, false),
                "SwinTransformer: depths and num_heads need one entry per stage, got [2, 2] and [3]");
        assertMessage(() -> new SwinTransformer(4, 96, new int[] {2}, new int[] {5}, 7, 0.2, 10, false), "stage 0 has 96 channels, not divisible by its 5 heads");
        assertMessage(() -> new SwinTransformer(4, 96, new int[] {2}, new int[] {3}, 1, 0.2, 10, false), "window_size at least 2");
        SwinTransformer small = new SwinTransformer(4, 8, new int[] {1}, new int[] {1}, 2, 0, 3, false);
        assertMessage(() -> small.call(Tensor.randn(1, 1, 16, 16)), "SwinTransformer: expects (N, 3, H, W) images, got shape (1, 1, 16, 16)");
    }
}
