package dev.cortado.nn;

/** {@code nn.UpsamplingNearest2d(size or scale_factor)}: {@link Upsample} in nearest mode. */
public final class UpsamplingNearest2d extends Upsample {
    public UpsamplingNearest2d(double scaleFactor) {
        super(null, new double[] {scaleFactor}, InterpolationMode.NEAREST, false);
    }

    /** Output (H, W). */
    public UpsamplingNearest2d(int[] size) {
        super(size.clone(), null, InterpolationMode.NEAREST, false);
    }
}
