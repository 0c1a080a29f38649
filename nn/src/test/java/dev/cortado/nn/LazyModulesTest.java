package dev.cortado.nn;

import dev.cortado.tensor.ConvOptions;
import dev.cortado.tensor.Cortado;
import dev.cortado.tensor.Tensor;
import dev.cortado.testing.OnReference;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.cortado.testing.Inputs.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** LazyLinear and LazyConv2d: sized by their first input, drawing PyTorch's initial weights at that moment. */
class LazyModulesTest extends OnReference {
    @Test
    void lazyLinearBecomesPyTorchsLinearAtItsFirstCall() {
        Cortado.manualSeed(0);
        LazyLinear fc = new LazyLinear(4);
        assertEquals("LazyLinear(in_features=0, out_features=4, bias=True)", fc.toString());
        assertArrayEquals(new int[] {4, 0}, fc.weight.shape());
        // What an optimizer made before the first call holds: the same tensors, filled in place.
        List<Tensor> held = fc.parameters();
        Tensor y = fc.forward(Tensor.ones(2, 3));
        assertArrayEquals(new int[] {2, 4}, y.shape());
        assertEquals("Linear(in_features=3, out_features=4, bias=True)", fc.toString());
        // PyTorch 1.13: torch.manual_seed(0); LazyLinear(4)(torch.ones(2, 3)): the weights of Linear(3, 4) after the seed.
        assertArrayEquals(new float[] {-0.004322517663240433f, 0.3097158372402191f, -0.4751853346824646f},
                java.util.Arrays.copyOf(fc.weight.toFloatArray(), 3));
        y.sum().backward();
        assertSame(fc.weight, held.get(0));
        assertArrayEquals(new int[] {4, 3}, held.get(0).shape());
        assertArrayEquals(new float[] {2, 2, 2, 2}, held.get(1).grad().toFloatArray(), "the bias held before the call gets its gradient");
        assertMessage(() -> new LazyLinear(3).forward(Tensor.scalar(1)), "LazyLinear: cannot infer in_features from a 0-d input");
    }

    @Test
    void lazyConv2dTakesInChannelsFromItsInput() {
        Cortado.manualSeed(0);
        LazyConv2d conv = new LazyConv2d(16, 3, ConvOptions.DEFAULT.padding(1));
        assertEquals("LazyConv2d(0, 16, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))", conv.toString());
        Tensor y = conv.forward(Tensor.ones(1, 3, 5, 5));
        assertArrayEquals(new int[] {1, 16, 5, 5}, y.shape());
        assertEquals("Conv2d(3, 16, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))", conv.toString());
        Cortado.manualSeed(0);
        Conv2d eager = new Conv2d(3, 16, 3, ConvOptions.DEFAULT.padding(1));
        assertArrayEquals(eager.weight.toFloatArray(), conv.weight.toFloatArray(), "the draws of Conv2d(3, 16, 3)");
        assertArrayEquals(eager.bias.toFloatArray(), conv.bias.toFloatArray());
        assertMessage(() -> new LazyConv2d(8, 3).forward(Tensor.ones(5, 5)), "LazyConv2d: expected a 3-d (C, H, W) or 4-d (N, C, H, W) input");
    }

    @Test
    void lazyBatchNormTakesItsChannelsFromItsInput() {
        LazyBatchNorm2d lazy = new LazyBatchNorm2d();
        assertEquals("LazyBatchNorm2d(0, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)", lazy.toString());
        BatchNorm2d eager = new BatchNorm2d(3);
        Tensor x = Tensor.randn(2, 3, 4, 4);
        assertArrayEquals(eager.forward(x).toFloatArray(), lazy.forward(x).toFloatArray());
        assertArrayEquals(eager.runningMean.toFloatArray(), lazy.runningMean.toFloatArray());
        assertEquals(1, lazy.numBatchesTracked.item(), 0);
        assertEquals("BatchNorm2d(3, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)", lazy.toString());
        assertMessage(() -> new LazyBatchNorm2d().forward(Tensor.ones(3, 4, 4)), "LazyBatchNorm2d: expected a 4-d (N, C, H, W) input");
        LazyBatchNorm2d loaded = new LazyBatchNorm2d();
        loaded.loadStateDict(eager.stateDict(), true);
        assertArrayEquals(eager.runningVar.toFloatArray(), loaded.runningVar.toFloatArray());
        LazyBatchNorm1d flat = new LazyBatchNorm1d();
        assertEquals("LazyBatchNorm1d(0, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)", flat.toString());
        Tensor rows = Tensor.randn(8, 5);
        assertArrayEquals(new BatchNorm1d(5).forward(rows).toFloatArray(), flat.forward(rows).toFloatArray());
        assertEquals("BatchNorm1d(5, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)", flat.toString());
        assertMessage(() -> new LazyBatchNorm1d().forward(Tensor.ones(2, 3, 4, 5)), "LazyBatchNorm1d: expected a 2-d (N, C) or 3-d (N, C, L) input");
    }

    @Test
    void loadingAStateDictSizesTheLazyLayers() {
        Cortado.manualSeed(3);
        Sequential eager = new Sequential(new Conv2d(2, 4, 3), new ReLU(), new Flatten(), new Linear(4 * 3 * 3, 5));
        Sequential lazy = new Sequential(new LazyConv2d(4, 3), new ReLU(), new Flatten(), new LazyLinear(5));
        lazy.loadStateDict(eager.stateDict(), true);
        assertEquals(eager.toString(), lazy.toString());
        Tensor x = Tensor.randn(2, 2, 5, 5);
        assertArrayEquals(eager.forward(x).toFloatArray(), lazy.forward(x).toFloatArray());
        assertEquals(List.copyOf(eager.stateDict().keySet()), List.copyOf(lazy.stateDict().keySet()));
        assertMessage(() -> new LazyLinear(6).materialize(java.util.Map.of("weight", Tensor.zeros(5, 3))),
                "LazyLinear(out_features=6): weight (5, 3) in the state dict is not (6, in_features)");
    }
}
