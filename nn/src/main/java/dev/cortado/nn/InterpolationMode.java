package dev.cortado.nn;

/**
 * {@code F.interpolate}'s modes, and {@code F.gridSample}'s (nearest and bilinear). The linear
 * modes name the input's rank: linear for (N, C, L), bilinear and bicubic for (N, C, H, W),
 * trilinear for (N, C, D, H, W); nearest, nearest-exact and area take any of the three.
 */
public enum InterpolationMode {
    /** Each output copies the input at floor(position · scale): PyTorch's legacy nearest, which shifts content by half a pixel. */
    NEAREST("nearest", 0),
    /** Each output copies the input nearest to its centre, floor((position + 0.5) · scale): PIL's and OpenCV's nearest. */
    NEAREST_EXACT("nearest-exact", 0),
    /** Each output blends the two inputs around its source position along L. */
    LINEAR("linear", 1),
    /** Each output pixel blends the four input pixels around its source position. */
    BILINEAR("bilinear", 2),
    /** Each output pixel blends the 4 × 4 input pixels around its source position with Keys' cubic (a = -0.75); interpolate only. */
    BICUBIC("bicubic", 2),
    /** Each output voxel blends the eight input voxels around its source position. */
    TRILINEAR("trilinear", 3),
    /** Each output averages the input cells under it: adaptive average pooling to the output size. */
    AREA("area", 0);

    private final String pyName;
    private final int spatialDims;

    InterpolationMode(String pyName, int spatialDims) {
        this.pyName = pyName;
        this.spatialDims = spatialDims;
    }

    /** PyTorch's name of the mode: "nearest-exact", "bilinear", ... */
    public String pyName() {
        return pyName;
    }

    /** The spatial dims the mode works on, or 0 for any of 1 to 3. */
    int spatialDims() {
        return spatialDims;
    }

    /** Linear, bilinear, bicubic and trilinear: the modes align_corners applies to. */
    boolean interpolating() {
        return spatialDims > 0;
    }
}
