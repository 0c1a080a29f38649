package dev.cortado.nn;

import dev.cortado.tensor.Tensor;

/** {@code nn.PixelUnshuffle(downscale_factor)}: (*, C, H r, W r) to (*, C r², H, W), the inverse of PixelShuffle. */
public final class PixelUnshuffle extends Module {
    private final int downscaleFactor;

    public PixelUnshuffle(int downscaleFactor) {
        this.downscaleFactor = downscaleFactor;
    }

    @Override
    public Tensor forward(Tensor x) {
        return traced(F.pixelUnshuffle(x, downscaleFactor));
    }

    @Override
    protected String extraRepr() {
        return "downscale_factor=" + downscaleFactor;
    }
}
