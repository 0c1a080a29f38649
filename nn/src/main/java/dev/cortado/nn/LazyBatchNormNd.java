package dev.cortado.nn;

import dev.cortado.tensor.Shapes;
import dev.cortado.tensor.Tensor;

import java.util.Map;

/**
 * What {@link LazyBatchNorm1d} and {@link LazyBatchNorm2d} share, as PyTorch's
 * {@code _LazyNormBase}: num_features from the first input's dim 1; until then empty parameters
 * and running statistics, afterwards the eager layer in every way, its repr included.
 */
public abstract class LazyBatchNormNd extends BatchNorm implements LazyModule {
    private final String eager;
    private final String expected;

    LazyBatchNormNd(String eager, String expected, double eps, Double momentum, boolean affine, boolean trackRunningStats, int... ranks) {
        super(0, eps, momentum, affine, trackRunningStats, ranks);
        this.eager = eager;
        this.expected = expected;
    }

    @Override
    public final Tensor forward(Tensor x) {
        if (!materialized()) {
            if (!takesRank(x.dim())) {
                throw new IllegalArgumentException(getClass().getSimpleName() + ": expected a " + expected + " input to infer num_features, got "
                        + Shapes.str(x.shape()));
            }
            materialize(x.size(1));
        }
        return super.forward(x);
    }

    @Override
    public final boolean materialized() {
        return numFeatures > 0;
    }

    @Override
    public final void materialize(Map<String, Tensor> ownState) {
        Tensor sized = ownState.containsKey("running_mean") ? ownState.get("running_mean")
                : LazyModule.entry(getClass().getSimpleName(), ownState, "weight");
        if (sized.dim() != 1 || sized.numel() == 0) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": a 1-d, non-empty running_mean or weight must give num_features, got "
                    + Shapes.str(sized.shape()));
        }
        materialize(sized.size(0));
    }

    @Override
    public final String toString() {
        return (materialized() ? eager : getClass().getSimpleName()) + "(" + extraRepr() + ")";
    }
}
