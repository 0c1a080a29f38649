package dev.cortado.nn;

import dev.cortado.tensor.Shapes;
import dev.cortado.tensor.Tensor;

import java.util.Map;

/**
 * {@code nn.LazyBatchNorm2d(eps=1e-5, momentum=0.1, affine=True, track_running_stats=True)}: a
 * {@link BatchNorm2d} whose num_features is the channel dim of its first (N, C, H, W) input. Until
 * then its parameters and running statistics are empty; afterwards it is a BatchNorm2d in every
 * way, its repr included.
 */
public final class LazyBatchNorm2d extends BatchNorm implements LazyModule {
    public LazyBatchNorm2d() {
        this(1e-5, 0.1, true, true);
    }

    /** {@code momentum} null uses a cumulative moving average of the batch statistics. */
    public LazyBatchNorm2d(double eps, Double momentum, boolean affine, boolean trackRunningStats) {
        super(0, eps, momentum, affine, trackRunningStats, 4);
    }

    @Override
    public Tensor forward(Tensor x) {
        if (!materialized()) {
            if (x.dim() != 4) {
                throw new IllegalArgumentException("LazyBatchNorm2d: expected a 4-d (N, C, H, W) input to infer num_features, got "
                        + Shapes.str(x.shape()));
            }
            materialize(x.size(1));
        }
        return super.forward(x);
    }

    @Override
    public boolean materialized() {
        return numFeatures > 0;
    }

    @Override
    public void materialize(Map<String, Tensor> ownState) {
        Tensor sized = ownState.containsKey("running_mean") ? ownState.get("running_mean") : LazyModule.entry("LazyBatchNorm2d", ownState, "weight");
        if (sized.dim() != 1 || sized.numel() == 0) {
            throw new IllegalArgumentException("LazyBatchNorm2d: a 1-d, non-empty running_mean or weight must give num_features, got "
                    + Shapes.str(sized.shape()));
        }
        materialize(sized.size(0));
    }

    @Override
    public String toString() {
        return (materialized() ? "BatchNorm2d" : "LazyBatchNorm2d") + "(" + extraRepr() + ")";
    }
}
