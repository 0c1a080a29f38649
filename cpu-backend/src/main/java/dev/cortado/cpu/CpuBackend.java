package dev.cortado.cpu;

import dev.cortado.backend.Backend;
import dev.cortado.backend.BinaryOp;
import dev.cortado.backend.Conv2dParams;
import dev.cortado.backend.MatmulDims;
import dev.cortado.backend.Pool2dParams;
import dev.cortado.backend.ReduceOp;
import dev.cortado.backend.Storage;
import dev.cortado.backend.UnaryOp;
import dev.cortado.tensor.DType;
import dev.cortado.tensor.Device;
import dev.cortado.tensor.Tensor;

/** Pure-Java kernels: heap arrays, Vector API loops, a fork-join pool for large inputs. */
public final class CpuBackend implements Backend {
    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public Storage allocate(Device device, DType dtype, int size) {
        return dtype == DType.FLOAT32 ? new CpuStorage(CpuPool.floats(size), true) : new CpuStorage(CpuPool.longs(size), true);
    }

    @Override
    public Storage fromFloats(Device device, float[] data) {
        return new CpuStorage(data.clone());
    }

    @Override
    public Storage fromDoubles(Device device, double[] data) {
        float[] f = new float[data.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) data[i];
        }
        return new CpuStorage(f);
    }

    @Override
    public Storage fromLongs(Device device, long[] data) {
        return new CpuStorage(data.clone());
    }

    @Override
    public float[] toFloats(Tensor src) {
        if (src.isContiguous()) {
            float[] f = Elementwise.f(src);
            return java.util.Arrays.copyOfRange(f, src.offset(), src.offset() + src.numel());
        }
        Tensor out = Tensor.fromArray(new float[src.numel()], src.shape(), Device.CPU);
        Elementwise.copy(out, src);
        return Elementwise.f(out);
    }

    @Override
    public double[] toDoubles(Tensor src) {
        float[] f = toFloats(src);
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    @Override
    public long[] toLongs(Tensor src) {
        if (src.isContiguous()) {
            long[] l = Elementwise.l(src);
            return java.util.Arrays.copyOfRange(l, src.offset(), src.offset() + src.numel());
        }
        Tensor out = Tensor.fromArray(new long[src.numel()], src.shape(), Device.CPU);
        Elementwise.copy(out, src);
        return Elementwise.l(out);
    }

    @Override
    public void fill(Tensor out, double value) {
        Elementwise.fill(out, value);
    }

    @Override
    public void bernoulli(Tensor out, long key, double p) {
        Elementwise.bernoulli(out, key, p);
    }

    @Override
    public void copy(Tensor out, Tensor src) {
        Elementwise.copy(out, src);
    }

    @Override
    public void unary(UnaryOp op, Tensor out, Tensor x, double alpha, double beta) {
        Elementwise.unary(op, out, x, alpha, beta);
    }

    @Override
    public void binary(BinaryOp op, Tensor out, Tensor a, Tensor b) {
        Elementwise.binary(op, out, a, b);
    }

    @Override
    public void where(Tensor out, Tensor cond, Tensor a, Tensor b) {
        Elementwise.where(out, cond, a, b);
    }

    @Override
    public void reduce(ReduceOp op, Tensor out, Tensor x, int[] dims) {
        Reduce.reduce(op, out, x, dims);
    }

    @Override
    public void argReduce(ReduceOp op, Tensor values, Tensor indices, Tensor x, int dim) {
        Reduce.argReduce(op, values, indices, x, dim);
    }

    @Override
    public void gather(Tensor out, Tensor x, int dim, Tensor index) {
        Gather.gather(out, x, dim, index);
    }

    @Override
    public void sort(Tensor values, Tensor indices, Tensor x, int dim, boolean descending) {
        Sort.sort(values, indices, x, dim, descending);
    }

    @Override
    public void cumsum(Tensor out, Tensor x, int dim) {
        Scan.cumsum(out, x, dim);
    }

    @Override
    public void scatterAdd(Tensor out, int dim, Tensor index, Tensor src) {
        Gather.scatterAdd(out, dim, index, src);
    }

    @Override
    public void softmax(Tensor out, Tensor x, int dim, boolean log) {
        Reduce.softmax(out, x, dim, log);
    }

    @Override
    public void matmul(Tensor out, Tensor a, Tensor b) {
        MatmulDims dims = MatmulDims.of(out, a);
        if (dims.empty()) {
            return;
        }
        int r = out.dim();
        int m = dims.m();
        int n = dims.n();
        int k = dims.k();
        int batches = dims.batches();
        float[] c = Elementwise.f(out);
        float[] ad = Elementwise.f(a);
        float[] bd = Elementwise.f(b);
        int[] batchShape = java.util.Arrays.copyOf(out.shape(), r - 2);
        int[] as = a.strides();
        int[] bs = b.strides();
        // Few large products: parallel inside each; many small ones: one product per task.
        boolean inside = batches == 1 || (long) m * n * k >= 1L << 21;
        Parallel.Chunk one = t -> {
            int ao = a.offset();
            int bo = b.offset();
            int rem = t;
            for (int d = batchShape.length - 1; d >= 0; d--) {
                int i = rem % batchShape[d];
                rem /= batchShape[d];
                ao += i * as[d];
                bo += i * bs[d];
            }
            Gemm.gemm(m, n, k, new Gemm.Operand(ad, ao, as[r - 2], as[r - 1]), new Gemm.Operand(bd, bo, bs[r - 2], bs[r - 1]),
                    c, out.offset() + t * m * n, n, inside);
        };
        if (inside) {
            for (int t = 0; t < batches; t++) {
                one.run(t);
            }
        } else {
            Parallel.forChunks(batches, one);
        }
    }

    @Override
    public void conv2d(Tensor out, Tensor x, Tensor w, Conv2dParams p) {
        if (DepthwiseConv.applies(x.size(1), w.size(0), p)) {
            DepthwiseConv.forward(out, x, w, null, p);
            return;
        }
        if (Winograd.applies(x.size(1), w.size(0), x.size(2), x.size(3), p) && Winograd.forward(out, x, w, null, p)) {
            return;
        }
        if (ImplicitConv.applies(x.size(1), x.size(2), x.size(3), p)) {
            ImplicitConv.forward(out, x, w, null, p);
        } else {
            Im2colConv.forward(out, x, w, p);
        }
    }

    @Override
    public void conv2d(Tensor out, Tensor x, Tensor w, Tensor bias, Conv2dParams p) {
        if (DepthwiseConv.applies(x.size(1), w.size(0), p)) {
            DepthwiseConv.forward(out, x, w, bias, p);
            return;
        }
        if (Winograd.applies(x.size(1), w.size(0), x.size(2), x.size(3), p) && Winograd.forward(out, x, w, bias, p)) {
            return;
        }
        if (ImplicitConv.applies(x.size(1), x.size(2), x.size(3), p)) {
            ImplicitConv.forward(out, x, w, bias, p);
        } else {
            Backend.super.conv2d(out, x, w, bias, p);
        }
    }

    @Override
    public void conv2dBackwardInput(Tensor gradInput, Tensor gradOut, Tensor w, Conv2dParams p) {
        if (DepthwiseConv.applies(gradInput.size(1), w.size(0), p)) {
            DepthwiseConv.backwardInput(gradInput, gradOut, w, p);
            return;
        }
        if (Winograd.applies(w.size(1), w.size(0), gradInput.size(2), gradInput.size(3), p) && Winograd.backwardInput(gradInput, gradOut, w, p)) {
            return;
        }
        if (ImplicitConv.appliesToInputGradient(w.size(0), gradOut.size(2), gradOut.size(3), w.size(2), w.size(3), p)) {
            ImplicitConv.backwardInput(gradInput, gradOut, w, p);
        } else {
            Im2colConv.backwardInput(gradInput, gradOut, w, p);
        }
    }

    @Override
    public void conv2dBackwardWeight(Tensor gradWeight, Tensor gradOut, Tensor x, Conv2dParams p) {
        if (DepthwiseConv.applies(x.size(1), gradWeight.size(0), p)) {
            DepthwiseConv.backwardWeight(gradWeight, gradOut, x, p);
            return;
        }
        if (ImplicitConv.applies(x.size(1), x.size(2), x.size(3), p)
                && !Im2colConv.suitsWeightGradient(x.shape(), gradWeight.shape(), gradOut.size(2), gradOut.size(3), p)) {
            ImplicitConv.backwardWeight(gradWeight, gradOut, x, p);
        } else {
            Im2colConv.backwardWeight(gradWeight, gradOut, x, p);
        }
    }

    @Override
    public void conv2dBackwardWeightAndBias(Tensor gradWeight, Tensor gradBias, Tensor gradOut, Tensor x, Conv2dParams p) {
        if (!DepthwiseConv.applies(x.size(1), gradWeight.size(0), p) && ImplicitConv.applies(x.size(1), x.size(2), x.size(3), p)
                && !Im2colConv.suitsWeightGradient(x.shape(), gradWeight.shape(), gradOut.size(2), gradOut.size(3), p)) {
            ImplicitConv.backwardWeight(gradWeight, gradBias, gradOut, x, p);
        } else {
            Backend.super.conv2dBackwardWeightAndBias(gradWeight, gradBias, gradOut, x, p);
        }
    }

    @Override
    public boolean sgdMomentumStep(Tensor param, Tensor grad, Tensor buf, double lr, double momentum, double dampening,
                                   double weightDecay, boolean nesterov) {
        SgdKernel.step(param, grad, buf, lr, momentum, dampening, weightDecay, nesterov);
        return true;
    }

    @Override
    public boolean adamStep(Tensor param, Tensor grad, Tensor expAvg, Tensor expAvgSq, Tensor maxExpAvgSq, double lr, double beta1,
                            double beta2, double eps, double weightDecay, boolean decoupled, double step) {
        AdamKernel.step(param, grad, expAvg, expAvgSq, maxExpAvgSq, lr, beta1, beta2, eps, weightDecay, decoupled, step);
        return true;
    }

    @Override
    public void maxPool2d(Tensor out, Tensor indices, Tensor x, Pool2dParams p) {
        Pool2d.max(out, indices, x, p);
    }

    @Override
    public void maxPool2dBackward(Tensor gradInput, Tensor gradOut, Tensor indices, Pool2dParams p) {
        Pool2d.maxBackward(gradInput, gradOut, indices);
    }

    @Override
    public void maxPool2dBackwardThroughRelu(Tensor gradInput, Tensor gradOut, Tensor indices, Pool2dParams p, Tensor pooled,
                                             Tensor reluOut) {
        Pool2d.maxBackward(gradInput, gradOut, indices, pooled);
    }

    @Override
    public void avgPool2d(Tensor out, Tensor x, Pool2dParams p) {
        Pool2d.avg(out, x, p);
    }

    @Override
    public void avgPool2dBackward(Tensor gradInput, Tensor gradOut, Pool2dParams p) {
        Pool2d.avgBackward(gradInput, gradOut, p);
    }

    @Override
    public void batchNormStats(Tensor mean, Tensor var, Tensor x) {
        BatchNormKernels.stats(mean, var, x);
    }

    @Override
    public void batchNormApply(Tensor out, Tensor x, Tensor mean, Tensor invstd, Tensor weight, Tensor bias) {
        BatchNormKernels.apply(out, x, mean, invstd, weight, bias);
    }

    @Override
    public void batchNormBackward(Tensor gradInput, Tensor gradWeight, Tensor gradBias, Tensor gradOut, Tensor x, Tensor mean,
                                  Tensor invstd, Tensor weight, boolean batchStats) {
        BatchNormKernels.backward(gradInput, gradWeight, gradBias, gradOut, x, mean, invstd, weight, batchStats);
    }
}
