package dev.cortado.nn;

import dev.cortado.tensor.Cortado;
import dev.cortado.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static dev.cortado.testing.Inputs.assertClose;
import static dev.cortado.testing.Inputs.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DropoutTest {
    /** Each (channel) slice of y summed over the given dims is 0 or the slice's full scaled sum. */
    private static void assertWholeChannels(String what, Tensor y, int[] dims, double kept) {
        Tensor sums = y.sum(dims, false);
        Tensor whole = sums.eq(0).add(sums.sub(kept).abs().lt(1e-3));
        assertClose(what + ": channels dropped whole", whole, sums.onesLike(), 0);
        double dropped = sums.eq(0).sum().item() / sums.numel();
        assertTrue(dropped > 0.3 && dropped < 0.7, what + ": dropped share " + dropped);
    }

    @Test
    void featureDropoutDropsWholeChannelsOfEachRank() {
        Cortado.manualSeed(4);
        assertWholeChannels("dropout1d batched", new Dropout1d().forward(Tensor.ones(8, 16, 5)), new int[] {2}, 10);
        assertWholeChannels("dropout1d unbatched", new Dropout1d().forward(Tensor.ones(64, 5)), new int[] {1}, 10);
        assertWholeChannels("dropout3d batched", new Dropout3d().forward(Tensor.ones(8, 16, 2, 3, 2)), new int[] {2, 3, 4}, 24);
        assertWholeChannels("dropout3d unbatched", new Dropout3d().forward(Tensor.ones(64, 2, 3, 2)), new int[] {1, 2, 3}, 24);
        // Unbatched (C, H, W): each of the 64 channels is its own draw, not each of 3 "batch" rows.
        assertWholeChannels("dropout2d unbatched", new Dropout2d().forward(Tensor.ones(64, 3, 4)), new int[] {1, 2}, 24);
        Dropout3d d = new Dropout3d(0.9);
        d.eval();
        Tensor x = Tensor.randn(2, 3, 2, 2, 2);
        assertClose("eval is identity", d.forward(x), x, 0);
        assertClose("p = 1 zeroes", F.dropout1d(x.reshape(6, 8), 1, true), Tensor.zeros(6, 8), 0);
        assertMessage(() -> new Dropout1d().forward(Tensor.ones(2, 3, 4, 5)), "dropout1d: expected a 2-d (C, L) or 3-d (N, C, L) input, got (2, 3, 4, 5)");
        assertMessage(() -> new Dropout3d().forward(Tensor.ones(2, 3, 4)), "dropout3d: expected a 4-d (C, D, H, W) or 5-d (N, C, D, H, W) input, got (2, 3, 4)");
        assertMessage(() -> F.dropout2d(Tensor.ones(4, 4), 0.5, false), "dropout2d: expected a 3-d (C, H, W) or 4-d (N, C, H, W) input, got (4, 4)");
        assertMessage(() -> new Dropout1d(1.5), "Dropout1d: probability has to be between 0 and 1, but got 1.5");
        assertMessage(() -> F.dropout3d(x, -0.5, true), "dropout3d: probability has to be between 0 and 1, but got -0.5");
    }

    @Test
    void alphaDropoutTakesPyTorchsTwoValuesAndKeepsMeanAndVariance() {
        Cortado.manualSeed(5);
        // PyTorch 1.13: alpha_dropout(ones(1000), 0.2, True) holds only -1.2361598 and 1.1879435;
        // of zeros, -1.2361598 and 0.30903995.
        Tensor ones = F.alphaDropout(Tensor.ones(1000), 0.2, true);
        Tensor dropped = ones.lt(0);
        assertClose("dropped", ones.maskedSelect(dropped), Tensor.full(new int[] {(int) dropped.sum().item()}, -1.2361598), 1e-6);
        Tensor keptMask = dropped.logicalNot();
        assertClose("kept ones", ones.maskedSelect(keptMask), Tensor.full(new int[] {(int) keptMask.sum().item()}, 1.1879435), 1e-6);
        Tensor zeros = F.alphaDropout(Tensor.zeros(1000), 0.2, true);
        assertClose("kept zeros", zeros.maskedSelect(zeros.gt(0)), Tensor.full(new int[] {(int) zeros.gt(0).sum().item()}, 0.30903995), 1e-6);

        Tensor x = Tensor.randn(400_000);
        Tensor y = new AlphaDropout(0.3).forward(x);
        assertEquals(0, y.mean().item(), 0.01);
        assertEquals(1, y.var().item(), 0.01);

        // The gradient is the kept elements' scale a = 1 / sqrt((α'² p + 1)(1 − p)), dropped ones' zero.
        Tensor leaf = Tensor.randn(500).requiresGrad_(true);
        Tensor out = F.alphaDropout(leaf, 0.2, true);
        out.sum().backward();
        double a = 1.1879435 - 0.30903995;
        Tensor expected = out.detach().sub(leaf.detach().mul(a)).sub(0.30903995).abs().lt(1e-5).mul(a);
        assertClose("gradient", leaf.grad(), expected, 1e-5);
        assertTrue(leaf.grad().eq(0).sum().item() > 50, "some elements dropped");
    }

    @Test
    void featureAlphaDropoutDropsWholeChannels() {
        Cortado.manualSeed(6);
        Tensor y = new FeatureAlphaDropout(0.5).forward(Tensor.zeros(8, 32, 3, 3));
        Tensor channelMin = y.amin(new int[] {2, 3}, false);
        Tensor channelMax = y.amax(new int[] {2, 3}, false);
        assertClose("constant over each channel", channelMin, channelMax, 0);
        double droppedShare = channelMin.lt(0).sum().item() / channelMin.numel();
        assertTrue(droppedShare > 0.35 && droppedShare < 0.65, "dropped share " + droppedShare);
        FeatureAlphaDropout d = new FeatureAlphaDropout(0.5);
        d.eval();
        Tensor x = Tensor.randn(2, 3, 4);
        assertClose("eval is identity", d.forward(x), x, 0);
        assertMessage(() -> F.featureAlphaDropout(Tensor.ones(5), 0.5, true), "feature_alpha_dropout: expected an input of at least 2 dims (N, C, ...), got (5,)");
        assertMessage(() -> F.alphaDropout(x, 2, true), "alpha_dropout: probability has to be between 0 and 1, but got 2.0");
    }

    @Test
    void reprsArePyTorchs() {
        assertEquals("AlphaDropout(p=0.2, inplace=False)", new AlphaDropout(0.2).toString());
        assertEquals("FeatureAlphaDropout(p=0.5, inplace=False)", new FeatureAlphaDropout().toString());
        assertEquals("Dropout1d(p=0.25, inplace=False)", new Dropout1d(0.25).toString());
        assertEquals("Dropout3d(p=0.5, inplace=False)", new Dropout3d().toString());
    }
}
