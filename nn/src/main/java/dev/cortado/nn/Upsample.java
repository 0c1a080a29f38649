package dev.cortado.nn;

import dev.cortado.tensor.Shapes;
import dev.cortado.tensor.Tensor;

/** {@code nn.Upsample(size or scale_factor, mode, align_corners)}: {@link F#interpolate} as a layer. */
public class Upsample extends Module {
    private final int[] size;
    private final double[] scaleFactor;
    private final InterpolationMode mode;
    private final boolean alignCorners;

    /** {@code nn.Upsample(scale_factor=s)}: nearest neighbour. */
    public Upsample(double scaleFactor) {
        this(null, new double[] {scaleFactor}, InterpolationMode.NEAREST, false);
    }

    public Upsample(double scaleFactor, InterpolationMode mode, boolean alignCorners) {
        this(null, new double[] {scaleFactor}, mode, alignCorners);
    }

    public Upsample(int[] size, InterpolationMode mode, boolean alignCorners) {
        this(size.clone(), null, mode, alignCorners);
    }

    Upsample(int[] size, double[] scaleFactor, InterpolationMode mode, boolean alignCorners) {
        if (alignCorners && !mode.interpolating()) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": align_corners can only be set with the interpolating modes "
                    + "(linear, bilinear, bicubic, trilinear), not " + mode.pyName());
        }
        if (scaleFactor != null && !(scaleFactor[0] > 0)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": scale_factor must be positive, got " + scaleFactor[0]);
        }
        this.size = size;
        this.scaleFactor = scaleFactor;
        this.mode = mode;
        this.alignCorners = alignCorners;
    }

    @Override
    public final Tensor forward(Tensor x) {
        return traced(Interpolation.interpolate(x, size, scaleFactor, mode, alignCorners));
    }

    /** PyTorch's, which leaves align_corners out. */
    @Override
    protected final String extraRepr() {
        String what = size != null ? "size=" + Shapes.str(size) : "scale_factor=" + Py.floatRepr(scaleFactor[0]);
        return what + ", mode=" + mode.pyName();
    }
}
