package dev.cortado.nn;

import dev.cortado.tensor.Tensor;

/** {@code nn.PixelShuffle(upscale_factor)}: (*, C r², H, W) to (*, C, H r, W r), for sub-pixel convolution upsampling. */
public final class PixelShuffle extends Module {
    private final int upscaleFactor;

    public PixelShuffle(int upscaleFactor) {
        this.upscaleFactor = upscaleFactor;
    }

    @Override
    public Tensor forward(Tensor x) {
        return traced(F.pixelShuffle(x, upscaleFactor));
    }

    @Override
    protected String extraRepr() {
        return "upscale_factor=" + upscaleFactor;
    }
}
