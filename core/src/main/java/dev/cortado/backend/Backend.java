package dev.cortado.backend;

import dev.cortado.tensor.DType;
import dev.cortado.tensor.Device;
import dev.cortado.tensor.Tensor;

/**
 * The primitive kernels a device provides. Core computes shapes, broadcasting, dtypes and
 * autograd, then calls exactly one of these per primitive; a backend never sees autograd.
 *
 * <p>Conventions: the output comes first and is allocated by core with the right shape and
 * dtype; inputs may have any strides (including 0 for broadcast dimensions and negative for
 * flipped views), so a backend must honour {@link Tensor#strides()} and {@link Tensor#offset()}.
 * Outputs handed to kernels by core are contiguous unless stated otherwise.
 */
public interface Backend {
    /** Short name for messages, e.g. {@code "cpu"}. */
    String name();

    /** Allocates uninitialised storage for {@code size} elements on {@code device}. */
    Storage allocate(Device device, DType dtype, int size);

    /** Copies host values into new float32 storage. */
    Storage fromFloats(Device device, float[] data);

    /** Copies host values into new float32 storage (rounded to float32 unless the backend is wider). */
    Storage fromDoubles(Device device, double[] data);

    /** Copies host values into new int64 storage. */
    Storage fromLongs(Device device, long[] data);

    /** Reads {@code src} (any strides, float32) in row-major order. */
    float[] toFloats(Tensor src);

    /** Reads {@code src} (any strides, float32) in row-major order at the backend's precision. */
    double[] toDoubles(Tensor src);

    /** Reads {@code src} (any strides, int64) in row-major order. */
    long[] toLongs(Tensor src);

    /** Sets every element of {@code out} (any strides) to {@code value}. */
    void fill(Tensor out, double value);

    /** out = src elementwise, converting dtype if they differ; out may be a strided view. */
    void copy(Tensor out, Tensor src);

    /** out = op(x), same shape. out's dtype is x's for ops that {@link UnaryOp#keepsIntegers()}, else float32. */
    void unary(UnaryOp op, Tensor out, Tensor x, double alpha, double beta);

    /**
     * out = op(a, b), all of one shape; a and b share a dtype. Arithmetic writes that dtype,
     * comparisons write a float32 0/1 mask.
     */
    void binary(BinaryOp op, Tensor out, Tensor a, Tensor b);

    /**
     * out = op(a, s) for a scalar s, exactly as {@link #binary} would compute it against a tensor
     * of a's dtype filled with s (so s is first rounded to float32, or is integral for int64).
     * out may be a itself. The default does just that; a GPU backend passes s as a kernel
     * argument instead of filling a tensor with it first (one launch and one allocation fewer).
     */
    default void binaryScalar(BinaryOp op, Tensor out, Tensor a, double s) {
        binary(op, out, a, Tensor.full(new int[0], s, a.dtype(), a.device()).expand(a.shape()));
    }

    /**
     * Fills contiguous float32 out with Bernoulli(p) samples: element i (row-major) is
     * {@link CounterRandom#bernoulli CounterRandom.bernoulli(key, i, (float) p)}, 1 or 0. Every
     * backend gives the same bits for a key, so dropout masks agree across devices. The default
     * draws them on the host and copies them in; a GPU backend draws them in a kernel, with
     * nothing to upload.
     */
    default void bernoulli(Tensor out, long key, double p) {
        float pf = (float) p;
        float[] v = new float[out.numel()];
        for (int i = 0; i < v.length; i++) {
            v[i] = CounterRandom.bernoulli(key, i, pf);
        }
        copy(out, Tensor.fromArray(v, out.shape(), out.device()));
    }

    /** out = cond != 0 ? a : b, all of one shape; a, b and out share a dtype; cond is float32. */
    void where(Tensor out, Tensor cond, Tensor a, Tensor b);

    /**
     * Reduces x over {@code dims} into out, whose shape is x's with those dims set to 1.
     * MEAN is only asked of float32; SUM of int64 yields int64. out has at least one element
     * (core asks for no empty result); x may have none.
     */
    void reduce(ReduceOp op, Tensor out, Tensor x, int[] dims);

    /**
     * Maximum or minimum of x along {@code dim} with the index of its first occurrence (NaN
     * counts as the extreme); values and indices (int64) have x's shape with dim set to 1.
     */
    void argReduce(ReduceOp op, Tensor values, Tensor indices, Tensor x, int dim);

    /**
     * {@code out[..., j, ...] = x[..., index[..., j, ...], ...]} along {@code dim}: out and index
     * (int64, any strides, stride 0 included) have one shape, which x has too in every dim but
     * dim. Every position lies in [0, x.size(dim)) (core checked), and out is not empty.
     */
    void gather(Tensor out, Tensor x, int dim, Tensor index);

    /**
     * Sorts every line of x along {@code dim} into values (x's dtype) and indices (int64, the
     * positions along dim the values came from), both contiguous with x's shape and not empty.
     * Stable (equal values keep their order, also when descending), NaN above every number and
     * -0.0 equal to 0.0, so every backend gives the same indices.
     */
    void sort(Tensor values, Tensor indices, Tensor x, int dim, boolean descending);

    /**
     * Running sums of every line of x along {@code dim}, in order, into out (x's dtype,
     * contiguous, x's shape, not empty): float32 accumulated in double and rounded once per
     * element, int64 in long, as PyTorch's CPU cumsum, so every backend gives the same bits.
     */
    void cumsum(Tensor out, Tensor x, int dim);

    /**
     * {@code out[..., index[..., j, ...], ...] += src[..., j, ...]} along {@code dim}: src and
     * index have one shape, which out has too in every dim but dim; positions lie in
     * [0, out.size(dim)) and index is not empty. Where positions repeat, the additions land in
     * the order of j, so the result is the same bits on every backend and every run.
     */
    void scatterAdd(Tensor out, int dim, Tensor index, Tensor src);

    /**
     * Batched matrix product: a (..., M, K) times b (..., K, N) into contiguous out (..., M, N).
     * Batch dimensions are equal in all three (broadcast already resolved through strides);
     * the last two dims of a and b may have any strides, so transposed views need no copy.
     */
    void matmul(Tensor out, Tensor a, Tensor b);

    /** Softmax (or log-softmax when {@code log}) of x along {@code dim}, numerically stable. */
    void softmax(Tensor out, Tensor x, int dim, boolean log);

    /**
     * The gradient of {@link #softmax} from its output: {@code gradInput = gradOutput −
     * exp(out)·Σ gradOutput} along dim for log-softmax, {@code out·(gradOutput − Σ gradOutput·out)}
     * for softmax, each product and difference rounded to float32 as those elementwise ops would
     * round them, the sum accumulated in double. gradInput is contiguous; gradOutput and out may
     * have any strides. Returns false where the backend has no such kernel; core then composes it.
     */
    default boolean softmaxBackward(Tensor gradInput, Tensor gradOutput, Tensor out, int dim, boolean log) {
        return false;
    }

    /**
     * 2-d convolution without bias: x (N, Cin, H, W) and w (Cout, Cin / groups, kH, kW), both
     * contiguous, into contiguous out (N, Cout, outH, outW).
     */
    void conv2d(Tensor out, Tensor x, Tensor w, Conv2dParams p);

    /**
     * {@link #conv2d} plus a bias: {@code bias} is the (Cout) bias viewed as (1, Cout, 1, 1) and
     * expanded to out's shape. A backend may add it while it writes out, saving a pass over the
     * output; by default it is added afterwards, the same float32 sum either way.
     */
    default void conv2d(Tensor out, Tensor x, Tensor w, Tensor bias, Conv2dParams p) {
        conv2d(out, x, w, p);
        binary(BinaryOp.ADD, out, out, bias);
    }

    /** Gradient of {@link #conv2d} with respect to x: writes all of contiguous gradInput (N, Cin, H, W). */
    void conv2dBackwardInput(Tensor gradInput, Tensor gradOut, Tensor w, Conv2dParams p);

    /** Gradient of {@link #conv2d} with respect to w, summed over the batch: writes all of contiguous gradWeight. */
    void conv2dBackwardWeight(Tensor gradWeight, Tensor gradOut, Tensor x, Conv2dParams p);

    /**
     * {@link #conv2dBackwardWeight} and the bias gradient: gradOut summed over batch and pixels
     * into contiguous gradBias (1, Cout, 1, 1). A backend may sum while the weight gradient reads
     * gradOut, saving a pass over it; by default the sum is a separate {@link #reduce}.
     */
    default void conv2dBackwardWeightAndBias(Tensor gradWeight, Tensor gradBias, Tensor gradOut, Tensor x, Conv2dParams p) {
        conv2dBackwardWeight(gradWeight, gradOut, x, p);
        reduce(ReduceOp.SUM, gradBias, gradOut, new int[] {0, 2, 3});
    }

    /**
     * Max pooling of contiguous x (N, C, H, W) into out (N, C, outH, outW), with the int64 index
     * {@code h * W + w} of each maximum within its plane (PyTorch's convention; NaN wins; padding never does).
     * A window that reaches no pixel (a dilation that steps over a small image) gives -inf and
     * index -1, which the backward passes skip.
     */
    void maxPool2d(Tensor out, Tensor indices, Tensor x, Pool2dParams p);

    /**
     * Hands gradOut back through the indices of {@link #maxPool2d} with the same p: writes all of
     * contiguous gradInput, each element the float32 sum of the gradients of the outputs whose
     * index it is, added in the outputs' order (so a backend may scatter in that order or, with
     * p, gather from the windows that cover each element, with no atomics and the same bits).
     */
    void maxPool2dBackward(Tensor gradInput, Tensor gradOut, Tensor indices, Pool2dParams p);

    /**
     * The backward of max pooling applied to a ReLU's output, both in one: {@link #maxPool2dBackward}
     * and then ReLU's backward ({@code RELU_BACKWARD} against reluOut, the pooled input). Since
     * each pooled value is reluOut at its index, a backend may instead scatter gradOut only where
     * {@code !(pooled <= 0)} (positive or NaN), which keeps the same values and writes gradInput
     * once; the default runs the two kernels.
     */
    default void maxPool2dBackwardThroughRelu(Tensor gradInput, Tensor gradOut, Tensor indices, Pool2dParams p, Tensor pooled,
                                              Tensor reluOut) {
        maxPool2dBackward(gradInput, gradOut, indices, p);
        binary(BinaryOp.RELU_BACKWARD, gradInput, gradInput, reluOut);
    }

    /** Average pooling of contiguous x (N, C, H, W), with PyTorch's divisor rules for padding and ceil mode. */
    void avgPool2d(Tensor out, Tensor x, Pool2dParams p);

    /** Gradient of {@link #avgPool2d}: writes all of contiguous gradInput (N, C, H, W). */
    void avgPool2dBackward(Tensor gradInput, Tensor gradOut, Pool2dParams p);

    /**
     * Per-channel batch statistics for batch normalisation: x is contiguous (N, C, ...); writes
     * each channel's mean and biased variance over the batch and every position into the
     * contiguous (C) tensors mean and var.
     */
    void batchNormStats(Tensor mean, Tensor var, Tensor x);

    /**
     * What batch norm does with the statistics before normalising, in one pass over the (C)
     * channels: {@code invstd = (var + eps)^(−1/2)} and, when runningMean and runningVar are
     * given, {@code runningMean = runningMean·(1 − momentum) + mean·momentum} and
     * {@code runningVar = runningVar·(1 − momentum) + (var·unbias)·momentum}. Every scalar is
     * rounded to float32 and every operation to float32 in that order, with no fused
     * multiply-add, and the power is the backend's {@code pow}, so the bits are those of the
     * elementwise ops that core runs where this returns false (the default). All tensors are
     * contiguous float32 (C); runningMean and runningVar are both null or both given.
     */
    default boolean batchNormUpdateStats(Tensor invstd, Tensor runningMean, Tensor runningVar, Tensor mean, Tensor var, double eps,
                                         double momentum, double unbias) {
        return false;
    }

    /**
     * {@link #batchNormStats} and {@link #batchNormUpdateStats} in one call, for training: the
     * batch's mean of contiguous x (N, C, ...) into mean, then invstd and, when runningMean and
     * runningVar are given (both contiguous, or both null), the running statistics, exactly as
     * batchNormUpdateStats computes them from that mean and the float32 biased variance, so with
     * the same bits. Returns false, having written nothing, where the backend has no such kernel;
     * core then makes the two calls. A GPU saves a launch per layer and step.
     */
    default boolean batchNormStatsAndUpdate(Tensor mean, Tensor invstd, Tensor runningMean, Tensor runningVar, Tensor x, double eps,
                                            double momentum, double unbias) {
        return false;
    }

    /**
     * The negative log-likelihood of each row of logp (N, C) for int64 class targets (N):
     * {@code loss[i] = −(logp[i, t_i] · w[t_i])} and {@code rowWeight[i] = w[t_i]}, both 0 where
     * {@code t_i == ignoreIndex}; w is weight (C), or 1 where weight is null. Core has checked
     * every other target to lie in [0, C). All tensors are contiguous. Returns false where the
     * backend has no such kernel; core then composes it from elementwise ops and reductions.
     */
    default boolean nllLoss(Tensor loss, Tensor rowWeight, Tensor logp, Tensor target, Tensor weight, long ignoreIndex) {
        return false;
    }

    /**
     * The gradient of {@link #nllLoss} with respect to logp: {@code gradLogp[i, c] = (−gradLoss[i]) ·
     * (c == t_i ? w[t_i] : 0)}, 0 in ignored rows. gradLoss (N) may have any stride (a broadcast
     * gradient has 0); the others are contiguous. Backends that have {@link #nllLoss} must have this.
     */
    default boolean nllLossBackward(Tensor gradLogp, Tensor gradLoss, Tensor target, Tensor weight, long ignoreIndex) {
        return false;
    }

    /**
     * out = (x − mean[c]) · invstd[c] · weight[c] + bias[c] over contiguous x (N, C, ...) into
     * contiguous out; weight and bias may be null (1 and 0); mean, invstd, weight and bias are (C).
     */
    void batchNormApply(Tensor out, Tensor x, Tensor mean, Tensor invstd, Tensor weight, Tensor bias);

    /**
     * Gradients of {@link #batchNormApply} from contiguous gradOut. With {@code batchStats} the
     * mean and invstd are x's own batch statistics, so gradInput also flows through them;
     * otherwise they are constants (running statistics). gradWeight is Σ gradOut · x̂ and gradBias
     * Σ gradOut per channel; any of the three outputs may be null when it is not needed, and
     * weight may be null (1).
     */
    void batchNormBackward(Tensor gradInput, Tensor gradWeight, Tensor gradBias, Tensor gradOut, Tensor x, Tensor mean, Tensor invstd,
                           Tensor weight, boolean batchStats);

    /**
     * One step of {@code torch.optim.SGD} with momentum on one parameter, in place, once its
     * momentum buffer exists: {@code d = grad + weightDecay·param} (when weightDecay ≠ 0),
     * {@code buf = momentum·buf + (1 − dampening)·d}, then
     * {@code param += (−lr)·(nesterov ? d + momentum·buf : buf)}. param, grad and buf are
     * contiguous float32 tensors of one shape. Every scalar is rounded to float32 and every product
     * and sum to float32 in that order, with no fused multiply-add, as the optimizer's
     * elementwise ops would round them, so a fused kernel gives the same bits in one pass instead
     * of four. Returns false where the backend has no such kernel; the optimizer then runs those
     * elementwise ops.
     */
    default boolean sgdMomentumStep(Tensor param, Tensor grad, Tensor buf, double lr, double momentum, double dampening,
                                    double weightDecay, boolean nesterov) {
        return false;
    }

    /**
     * {@link #sgdMomentumStep} for several parameters at once (PyTorch's foreach path): the same
     * bits, in as few launches as a GPU backend can. The lists are aligned and every triple meets
     * sgdMomentumStep's conditions, all on this backend's device. The default runs them one by
     * one; it returns false, having changed nothing, where the backend has no fused step.
     */
    default boolean sgdMomentumSteps(java.util.List<Tensor> params, java.util.List<Tensor> grads, java.util.List<Tensor> bufs, double lr,
                                     double momentum, double dampening, double weightDecay, boolean nesterov) {
        for (int i = 0; i < params.size(); i++) {
            if (!sgdMomentumStep(params.get(i), grads.get(i), bufs.get(i), lr, momentum, dampening, weightDecay, nesterov)) {
                if (i > 0) {
                    throw new IllegalStateException("sgdMomentumSteps: the backend fused the first " + i + " steps but not the next");
                }
                return false;
            }
        }
        return true;
    }

    /**
     * One step of {@code torch.optim.Adam} (or {@code AdamW} when {@code decoupled}) on one
     * parameter, in place, once its state exists: with weightDecay ≠ 0, either
     * {@code g = grad + weightDecay·param} or, decoupled, {@code param = (1 − lr·weightDecay)·param}
     * first; then {@code expAvg = β1·expAvg + (1 − β1)·g}, {@code expAvgSq = β2·expAvgSq + (1 − β2)·g·g};
     * with AMSGrad (maxExpAvgSq not null) {@code maxExpAvgSq = max(maxExpAvgSq, expAvgSq)} stands for
     * expAvgSq below; {@code param += (−lr / bc1)·(expAvg / (√expAvgSq / √bc2 + eps))} with
     * {@code bc1 = 1 − β1^step}, {@code bc2 = 1 − β2^step}. All tensors are contiguous float32 of one
     * shape. Scalars are rounded to float32 and every operation to float32 in that order, as the
     * optimizer's elementwise ops round them, so a fused kernel gives their bits in one pass
     * instead of about ten. Returns false where the backend has no such kernel.
     */
    default boolean adamStep(Tensor param, Tensor grad, Tensor expAvg, Tensor expAvgSq, Tensor maxExpAvgSq, double lr, double beta1,
                             double beta2, double eps, double weightDecay, boolean decoupled, double step) {
        return false;
    }

    /**
     * {@link #adamStep} for several parameters at once, each at its own step count
     * ({@code steps[i]}); maxExpAvgSqs is null unless AMSGrad. The same bits as one at a time, in
     * as few launches as a GPU backend can; the default runs them one by one, and returns false,
     * having changed nothing, where the backend has no fused step.
     */
    default boolean adamSteps(java.util.List<Tensor> params, java.util.List<Tensor> grads, java.util.List<Tensor> expAvgs,
                              java.util.List<Tensor> expAvgSqs, java.util.List<Tensor> maxExpAvgSqs, double lr, double beta1, double beta2,
                              double eps, double weightDecay, boolean decoupled, double[] steps) {
        for (int i = 0; i < params.size(); i++) {
            if (!adamStep(params.get(i), grads.get(i), expAvgs.get(i), expAvgSqs.get(i), maxExpAvgSqs == null ? null : maxExpAvgSqs.get(i),
                    lr, beta1, beta2, eps, weightDecay, decoupled, steps[i])) {
                if (i > 0) {
                    throw new IllegalStateException("adamSteps: the backend fused the first " + i + " steps but not the next");
                }
                return false;
            }
        }
        return true;
    }
}
