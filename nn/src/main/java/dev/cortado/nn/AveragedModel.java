package dev.cortado.nn;

import dev.cortado.autograd.GradMode;
import dev.cortado.tensor.DType;
import dev.cortado.tensor.Device;
import dev.cortado.tensor.Tensor;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code torch.optim.swa_utils.AveragedModel}: a copy of a model whose parameters are a running
 * average of the model's, updated with {@link #updateParameters} (stochastic weight averaging by
 * default; {@link #ema} for an exponential moving average). Java cannot deep-copy a module, so the
 * copy comes from a factory that builds the same architecture; the model's state is loaded into
 * it. Its state dict holds {@code n_averaged} and {@code module.*}, as PyTorch's does.
 * <pre>{@code AveragedModel swa = new AveragedModel(model, () -> new ResNet(20));
 * ... swa.updateParameters(model); ... AveragedModel.updateBn(trainImages, swa);}</pre>
 */
public final class AveragedModel extends Module {
    /** How a running average takes in a new value: PyTorch's {@code avg_fn(averaged, current, num_averaged)}. */
    @FunctionalInterface
    public interface AverageFunction {
        Tensor apply(Tensor averaged, Tensor current, long numAveraged);
    }

    /** The averaged copy, called by {@link #forward}. */
    public final Module module;
    private final Tensor nAveraged;
    private final AverageFunction average;
    private final boolean useBuffers;

    /** The equal-weight average of every update (SWA); buffers follow the model's. */
    public AveragedModel(Module model, Supplier<? extends Module> copy) {
        this(model, copy, swa(), false);
    }

    /**
     * With useBuffers, float buffers (batch norm's running statistics) are averaged as well, and
     * counters copied; otherwise every buffer is copied from the model at each update, as PyTorch 2
     * keeps them in sync (1.13 left them as first copied).
     */
    public AveragedModel(Module model, Supplier<? extends Module> copy, AverageFunction average, boolean useBuffers) {
        Module m = copy.get();
        if (m == null || m == model) {
            throw new IllegalArgumentException("AveragedModel: the factory must build a new module of the model's architecture, got "
                    + (m == null ? "null" : "the model itself"));
        }
        Device device = model.parameters().isEmpty() ? Device.CPU : model.parameters().get(0).device();
        m.to(device);
        m.loadStateDict(model.stateDict(), true);
        this.module = register("module", m);
        this.nAveraged = registerBuffer("n_averaged", Tensor.zeros(new int[0], DType.INT64, device));
        this.average = average;
        this.useBuffers = useBuffers;
    }

    /** {@code averaged + (current - averaged) / (n + 1)}: every update weighs the same. */
    public static AverageFunction swa() {
        return (averaged, current, n) -> averaged.add(current.sub(averaged).div(n + 1));
    }

    /** {@code decay · averaged + (1 - decay) · current}: PyTorch 2's {@code get_ema_avg_fn(decay)}. */
    public static AverageFunction ema(double decay) {
        if (!(decay >= 0 && decay <= 1)) {
            throw new IllegalArgumentException("AveragedModel.ema: decay must be in [0, 1], got " + decay);
        }
        return (averaged, current, n) -> averaged.mul(decay).add(current.mul(1 - decay));
    }

    /** Takes the model's current parameters (and buffers) into the average; the first update copies them. */
    public void updateParameters(Module model) {
        List<Tensor> mine = new ArrayList<>(module.parameters());
        List<Tensor> theirs = new ArrayList<>(model.parameters());
        if (useBuffers) {
            mine.addAll(module.buffers());
            theirs.addAll(model.buffers());
        }
        if (mine.size() != theirs.size()) {
            throw new IllegalArgumentException("AveragedModel.updateParameters: the model has " + theirs.size()
                    + " parameters and buffers, the averaged copy " + mine.size() + "; pass the model it was made from");
        }
        long n = (long) nAveraged.item();
        try (var off = GradMode.off()) {
            for (int i = 0; i < mine.size(); i++) {
                Tensor avg = mine.get(i);
                Tensor current = theirs.get(i).detach().to(avg.device());
                if (!java.util.Arrays.equals(avg.shape(), current.shape())) {
                    throw new IllegalArgumentException("AveragedModel.updateParameters: shape " + dev.cortado.tensor.Shapes.str(current.shape())
                            + " where the averaged copy has " + dev.cortado.tensor.Shapes.str(avg.shape()));
                }
                // Counters (num_batches_tracked) are copied: an average of counts is no count.
                avg.copy_(n == 0 || avg.dtype() != DType.FLOAT32 ? current : average.apply(avg, current, n));
            }
            if (!useBuffers) {
                List<Tensor> buffers = module.buffers();
                List<Tensor> source = model.buffers();
                for (int i = 0; i < Math.min(buffers.size(), source.size()); i++) {
                    buffers.get(i).copy_(source.get(i).detach().to(buffers.get(i).device()));
                }
            }
            nAveraged.add_(1);
        }
    }

    /** How many updates the average holds. */
    public long numAveraged() {
        return (long) nAveraged.item();
    }

    @Override
    public Tensor forward(Tensor x) {
        return module.call(x);
    }

    /**
     * {@code torch.optim.swa_utils.update_bn}: recomputes every batch norm's running statistics as
     * the plain average over one pass of the inputs (momentum null), in training mode, then
     * restores each momentum and the model's mode. Averaged weights need statistics of their own.
     */
    public static void updateBn(Iterable<Tensor> inputs, Module model) {
        Map<BatchNorm, Double> momenta = new IdentityHashMap<>();
        for (Module m : model.modules()) {
            if (m instanceof BatchNorm bn && bn.runningMean != null) {
                momenta.put(bn, bn.momentum());
            }
        }
        if (momenta.isEmpty()) {
            return;
        }
        boolean wasTraining = model.isTraining();
        model.train();
        try (var off = GradMode.off()) {
            for (BatchNorm bn : momenta.keySet()) {
                bn.runningMean.fill_(0);
                bn.runningVar.fill_(1);
                bn.numBatchesTracked.fill_(0);
                bn.setMomentum(null);
            }
            for (Tensor x : inputs) {
                model.call(x);
            }
        } finally {
            momenta.forEach(BatchNorm::setMomentum);
            model.train(wasTraining);
        }
    }
}
