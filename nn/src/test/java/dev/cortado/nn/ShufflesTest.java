package dev.cortado.nn;

import dev.cortado.tensor.DType;
import dev.cortado.tensor.Tensor;
import dev.cortado.testing.OnReference;
import org.junit.jupiter.api.Test;

import static dev.cortado.autograd.Gradcheck.check;
import static dev.cortado.testing.Inputs.assertClose;
import static dev.cortado.testing.Inputs.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** pixel_shuffle, pixel_unshuffle and channel_shuffle against the orders PyTorch 1.13 prints. */
class ShufflesTest extends OnReference {
    private static Tensor arange(int... shape) {
        int n = 1;
        for (int s : shape) {
            n *= s;
        }
        return Tensor.arange(n).to(DType.FLOAT32).reshape(shape);
    }

    @Test
    void shufflesPlaceElementsAsPyTorchDoes() {
        Tensor up = new PixelShuffle(2).forward(arange(2, 8, 2, 3));
        assertArrayEquals(new int[] {2, 2, 4, 6}, up.shape());
        assertArrayEquals(new float[] {72, 78, 73, 79, 74, 80, 84, 90, 85, 91, 86, 92, 75, 81, 76, 82, 77, 83, 87, 93, 88, 94, 89, 95},
                up.select(0, 1).select(0, 1).reshape(-1).toFloatArray());
        Tensor down = new PixelUnshuffle(2).forward(arange(1, 2, 4, 6));
        assertArrayEquals(new int[] {1, 8, 2, 3}, down.shape());
        assertArrayEquals(new float[] {12, 14, 16, 13, 15, 17, 18, 20, 22, 19, 21, 23, 36, 38, 40, 37, 39, 41, 42, 44, 46, 43, 45, 47},
                down.select(0, 0).select(1, 1).reshape(-1).toFloatArray());
        assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, new ChannelShuffle(2).forward(arange(1, 6, 1)).reshape(-1).toFloatArray());
        assertArrayEquals(new int[] {3, 2, 4, 4}, F.pixelShuffle(Tensor.ones(3, 8, 2, 2), 2).shape());
        assertArrayEquals(new int[] {2, 3, 2, 4, 4}, F.pixelShuffle(Tensor.ones(2, 3, 8, 2, 2), 2).shape(), "extra leading dims");
        Tensor x = Tensor.randn(2, 3, 6, 9);
        assertClose("unshuffle undoes shuffle", F.pixelShuffle(F.pixelUnshuffle(x, 3), 3), x, 0);
        Tensor c = x.reshape(2, 6, 27);
        assertClose("shuffling 6 channels in 3 groups, then in 2, restores them", F.channelShuffle(F.channelShuffle(c, 3), 2), c, 0);
    }

    @Test
    void gradientsReprsAndErrors() {
        check(in -> F.pixelShuffle(in[0], 2), Tensor.randn(1, 4, 2, 3));
        check(in -> F.pixelUnshuffle(in[0], 2), Tensor.randn(2, 4, 2));
        check(in -> F.channelShuffle(in[0], 3), Tensor.randn(1, 6, 2));
        assertEquals("PixelShuffle(upscale_factor=2)", new PixelShuffle(2).toString());
        assertEquals("PixelUnshuffle(downscale_factor=3)", new PixelUnshuffle(3).toString());
        assertEquals("ChannelShuffle(groups=2)", new ChannelShuffle(2).toString());
        assertMessage(() -> F.pixelShuffle(Tensor.ones(2, 3), 2), "pixel_shuffle: expects input to have at least 3 dimensions, but got input with 2");
        assertMessage(() -> F.pixelShuffle(Tensor.ones(1, 5, 2, 2), 2),
                "pixel_shuffle: expects its input's 'channel' dimension to be divisible by the square of upscale_factor, but input.size(-3)=5 is not divisible by 4");
        assertMessage(() -> F.pixelShuffle(Tensor.ones(1, 4, 2, 2), 0), "pixel_shuffle: expects a positive upscale_factor, but got 0");
        assertMessage(() -> F.pixelUnshuffle(Tensor.ones(1, 1, 3, 4), 2),
                "pixel_unshuffle: expects height to be divisible by downscale_factor, but input.size(-2)=3 is not divisible by 2");
        assertMessage(() -> F.pixelUnshuffle(Tensor.ones(1, 1, 4, 3), 2), "expects width", "input.size(-1)=3");
        assertMessage(() -> F.channelShuffle(Tensor.ones(1, 5, 2), 2), "channel_shuffle: the number of groups must be positive and divide the channels, got 5 channels and 2 groups");
        assertMessage(() -> F.channelShuffle(Tensor.ones(2, 4), 2), "channel_shuffle: expects input with > 2 dims, but got input with sizes (2, 4)");
    }
}
