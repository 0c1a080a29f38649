package dev.cortado.nn;

import dev.cortado.tensor.Shapes;
import dev.cortado.tensor.Tensor;

/** {@code nn.Unflatten(dim, unflattened_size)}: splits one dim into several (one size may be -1), the inverse of {@link Flatten}. */
public final class Unflatten extends Module {
    private final int dim;
    private final int[] sizes;

    public Unflatten(int dim, int... sizes) {
        if (sizes.length == 0) {
            throw new IllegalArgumentException("Unflatten: unflattened_size must name at least one size");
        }
        this.dim = dim;
        this.sizes = sizes.clone();
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.dim() == 0) {
            throw new IllegalArgumentException("Unflatten: expected an input with at least one dim to split, got a 0-dim tensor");
        }
        int d = Shapes.dim("Unflatten", dim, x.dim());
        int[] in = x.shape();
        int[] shape = new int[in.length - 1 + sizes.length];
        System.arraycopy(in, 0, shape, 0, d);
        System.arraycopy(sizes, 0, shape, d, sizes.length);
        System.arraycopy(in, d + 1, shape, d + sizes.length, in.length - d - 1);
        long known = 1;
        for (int s : sizes) {
            known *= s == -1 ? 1 : s;
        }
        boolean inferred = java.util.Arrays.stream(sizes).anyMatch(s -> s == -1);
        if (inferred ? known == 0 || in[d] % known != 0 : known != in[d]) {
            throw new IllegalArgumentException("Unflatten: sizes " + java.util.Arrays.toString(sizes) + " do not multiply to the size "
                    + in[d] + " of dim " + d + " of input " + Shapes.str(in));
        }
        return traced(x.reshape(shape));
    }

    @Override
    protected String extraRepr() {
        StringBuilder sb = new StringBuilder("dim=").append(dim).append(", unflattened_size=(");
        for (int i = 0; i < sizes.length; i++) {
            sb.append(i > 0 ? ", " : "").append(sizes[i]);
        }
        return sb.append(sizes.length == 1 ? ",)" : ")").toString();
    }
}
