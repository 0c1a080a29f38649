package dev.cortado.examples;

import dev.cortado.autograd.GradMode;
import dev.cortado.nn.AdaptiveAvgPool2d;
import dev.cortado.nn.Conv2d;
import dev.cortado.nn.Flatten;
import dev.cortado.nn.Linear;
import dev.cortado.nn.ReLU;
import dev.cortado.nn.Sequential;
import dev.cortado.tensor.ConvOptions;
import dev.cortado.tensor.Cortado;
import dev.cortado.tensor.Device;
import dev.cortado.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static dev.cortado.testing.Inputs.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Grad-CAM: the map lies where the class's evidence is, at the image's size, in [0, 1]; and its errors. */
class GradCamTest {
    @BeforeAll
    static void onTheCpu() {
        Cortado.setDefaultDevice(Device.CPU);
    }

    @Test
    void theMapLiesWhereTheEvidenceIs() {
        // A 1×1 convolution keeps each pixel where it is: with an image blank on its right half, so is every feature map.
        Conv2d conv = new Conv2d(3, 4, 1, 1, ConvOptions.DEFAULT, false);
        Linear head = new Linear(4, 2);
        try (var off = GradMode.off()) {
            conv.weight.copy_(Tensor.rand(4, 3, 1, 1));
            head.weight.copy_(Tensor.ones(2, 4));
        }
        Sequential model = new Sequential(conv, new ReLU(), new AdaptiveAvgPool2d(1), new Flatten(), head);
        Tensor image = Tensor.zeros(1, 3, 6, 8);
        try (var off = GradMode.off()) {
            image.narrow(3, 0, 4).copy_(Tensor.rand(1, 3, 6, 4).add(0.1));
        }
        Tensor map = GradCam.map(model, image, 1);
        assertArrayEquals(new int[] {6, 8}, map.shape());
        assertEquals(1, map.max().item(), 1e-6, "scaled to a maximum of 1");
        assertTrue(map.min().item() >= 0);
        assertEquals(0, map.narrow(1, 5, 3).abs().max().item(), 1e-6, "nothing on the blank side (beyond the blur at the border)");
        assertTrue(map.narrow(1, 0, 3).min().item() > 0, "something on the other");
        Tensor over = GradCam.overlay(image.squeeze(0), map);
        assertArrayEquals(new int[] {3, 6, 8}, over.shape());
    }

    @Test
    void badInputsAreNamed() {
        Sequential flat = new Sequential(new Flatten(), new Linear(12, 2));
        assertMessage(() -> GradCam.map(flat, Tensor.rand(1, 3, 2, 2), 0), "Grad-CAM: Sequential made no (N, C, H, W) map of at least 2×2");
        Sequential conv = new Sequential(new Conv2d(3, 2, 1), new AdaptiveAvgPool2d(1), new Flatten());
        assertMessage(() -> GradCam.map(conv, Tensor.rand(2, 3, 4, 4), 0), "Grad-CAM: expects one image (1, C, H, W), got (2, 3, 4, 4)");
        assertMessage(() -> GradCam.map(conv, Tensor.rand(1, 3, 4, 4), 5), "Grad-CAM: class 5 is out of range for 2 classes");
        assertMessage(() -> GradCam.map(dev.cortado.models.SwinTransformer.swin_t(), Tensor.rand(1, 3, 32, 32), 0), "works on tokens");
    }
}
