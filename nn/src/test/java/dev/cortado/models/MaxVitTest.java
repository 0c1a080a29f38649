package dev.cortado.models;

import dev.cortado.nn.BatchNorm2d;
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

/** MaxViT: torchvision's keys and shapes, training a small one, its window and grid partitions, and the errors. */
class MaxVitTest {
    @BeforeAll
    static void onTheCpu() {
        Cortado.setDefaultDevice(Device.CPU);
    }

    @Test
    void hasTorchvisionsKeysAndShapes() throws IOException {
        ModelsTest.assertSameKeys("maxvit_t", MaxVit.maxvit_t());
    }

    @Test
    void trainsAndPartitionsWindowsAndGrids() {
        // 56-pixel images: a 28×28 stem, then a block at 14×14, cut into 2×2 windows of 7×7 and into 4 grids of 7×7 pixels 2 apart.
        MaxVit model = new MaxVit(56, 8, 7, new int[] {16}, new int[] {2}, 8, 0.1, 5);
        Tensor y = model.call(Tensor.randn(2, 3, 56, 56));
        assertArrayEquals(new int[] {2, 5}, y.shape());
        y.square().mean().backward();
        assertTrue(model.parameters().stream().allMatch(p -> p.grad() != null), "every parameter has a gradient");
        assertEquals(0.99, ((BatchNorm2d) model.modules().stream().filter(m -> m instanceof BatchNorm2d).findFirst().orElseThrow()).momentum(),
                0, "torchvision's momentum of 0.99");
        model.eval();
        assertArrayEquals(new int[] {1, 3}, model.resetClassifier(3).call(Tensor.randn(1, 16)).shape());
        assertArrayEquals(new int[] {1, 3}, model.call(Tensor.randn(1, 3, 56, 56)).shape());

        // Window attention mixes the 7×7 neighbourhood of (0, 0); grid attention the 7×7 pixels of even rows and columns,
        // 2 apart across the whole map, so (12, 12) and not the neighbour (1, 1).
        MaxVit.PartitionAttention window = new MaxVit.PartitionAttention(8, 8, 7, false, 14, 0);
        MaxVit.PartitionAttention grid = new MaxVit.PartitionAttention(8, 8, 7, true, 14, 0);
        window.eval();
        grid.eval();
        Tensor x = Tensor.randn(1, 8, 14, 14);
        Tensor poked = x.clone();
        try (var off = dev.cortado.autograd.GradMode.off()) {
            poked.narrow(2, 0, 1).narrow(3, 0, 1).add_(Tensor.randn(1, 8, 1, 1));
        }
        assertTrue(moved(window, x, poked, 1, 1) && !moved(window, x, poked, 12, 12), "a window holds neighbours");
        assertTrue(!moved(grid, x, poked, 1, 1) && moved(grid, x, poked, 12, 12), "a grid holds pixels 2 apart across the map");
    }

    private static boolean moved(MaxVit.PartitionAttention layer, Tensor x, Tensor poked, int row, int col) {
        Tensor a = layer.call(x).narrow(2, row, 1).narrow(3, col, 1);
        Tensor b = layer.call(poked).narrow(2, row, 1).narrow(3, col, 1);
        return a.sub(b).abs().max().item() > 1e-6;
    }

    @Test
    void badSettingsAreNamed() {
        assertMessage(() -> new MaxVit(200, 64, 7, new int[] {64, 128}, new int[] {2, 2}, 32, 0.2, 10),
                "MaxVit: input size 50×50 of block 0 is not divisible by partition size 7");
        assertMessage(() -> new MaxVit(224, 64, 7, new int[] {64, 128}, new int[] {2}, 32, 0.2, 10), "need one entry per block");
        MaxVit small = new MaxVit(56, 8, 7, new int[] {16}, new int[] {1}, 8, 0, 5);
        assertMessage(() -> small.call(Tensor.randn(1, 3, 64, 64)), "MaxVit: expects (N, 3, 56, 56) images", "got shape (1, 3, 64, 64)");
        assertMessage(() -> new MaxVit(56, 8, 7, new int[] {12}, new int[] {1}, 8, 0, 5), "feat_dim 12 must be divisible by head_dim 8");
    }
}
