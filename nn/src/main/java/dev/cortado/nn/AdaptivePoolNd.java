package dev.cortado.nn;

import dev.cortado.tensor.Shapes;

/** The output size the adaptive 2-d and 3-d pools share, shown as given: one size, or one per dim. */
public abstract class AdaptivePoolNd extends Module {
    protected final int[] outputSize;
    private final boolean square;

    /** One size for every dim (PyTorch's {@code output_size=2}) when {@code sizes} holds one value. */
    AdaptivePoolNd(int dims, int... sizes) {
        if (sizes.length != 1 && sizes.length != dims) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": output size takes 1 or " + dims + " values, got "
                    + java.util.Arrays.toString(sizes));
        }
        this.square = sizes.length == 1;
        this.outputSize = new int[dims];
        for (int d = 0; d < dims; d++) {
            outputSize[d] = sizes[square ? 0 : d];
        }
    }

    @Override
    protected final String extraRepr() {
        return "output_size=" + (square ? Integer.toString(outputSize[0]) : Shapes.str(outputSize));
    }
}
