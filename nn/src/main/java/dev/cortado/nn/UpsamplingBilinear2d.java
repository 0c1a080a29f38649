package dev.cortado.nn;

/** {@code nn.UpsamplingBilinear2d(size or scale_factor)}: {@link Upsample} in bilinear mode with align_corners=True. */
public final class UpsamplingBilinear2d extends Upsample {
    public UpsamplingBilinear2d(double scaleFactor) {
        super(null, new double[] {scaleFactor}, InterpolationMode.BILINEAR, true);
    }

    /** Output (H, W). */
    public UpsamplingBilinear2d(int[] size) {
        super(size.clone(), null, InterpolationMode.BILINEAR, true);
    }
}
