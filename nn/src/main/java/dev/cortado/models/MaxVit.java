package dev.cortado.models;

import dev.cortado.autograd.GradMode;
import dev.cortado.nn.AdaptiveAvgPool2d;
import dev.cortado.nn.AvgPool2d;
import dev.cortado.nn.BatchNorm2d;
import dev.cortado.nn.Conv2d;
import dev.cortado.nn.Dropout;
import dev.cortado.nn.F;
import dev.cortado.nn.Flatten;
import dev.cortado.nn.GELU;
import dev.cortado.nn.Init;
import dev.cortado.nn.LayerNorm;
import dev.cortado.nn.Linear;
import dev.cortado.nn.Module;
import dev.cortado.nn.SiLU;
import dev.cortado.nn.Sequential;
import dev.cortado.nn.Tanh;
import dev.cortado.tensor.ConvOptions;
import dev.cortado.tensor.Shapes;
import dev.cortado.tensor.Tensor;

import java.io.IOException;
import java.util.List;

/**
 * torchvision's {@code MaxVit(input_size, stem_channels, partition_size, block_channels,
 * block_layers, head_dim, stochastic_depth_prob)}: a two-convolution stem, then blocks of layers
 * that each run an MBConv (with squeeze-excitation), attention within p×p windows, and attention
 * across a p×p grid spread over the whole image ("multi-axis" attention), and a classifier of
 * pooling, layer norm, a tanh layer and the last linear layer. The partitions are fixed by
 * {@code input_size} (224 for the published model), as in torchvision. Its batch norms have
 * eps 0.001 and momentum 0.99, as torchvision sets them.
 */
public final class MaxVit extends Module implements ImageClassifier {
    private final int inputSize;
    private final Sequential stem;
    private final Sequential blocks;
    private final Sequential classifier;

    public MaxVit(int inputSize, int stemChannels, int partitionSize, int[] blockChannels, int[] blockLayers, int headDim,
                  double stochasticDepthProb, int numClasses) {
        if (blockChannels.length == 0 || blockChannels.length != blockLayers.length) {
            throw new IllegalArgumentException("MaxVit: block_channels and block_layers need one entry per block, got "
                    + java.util.Arrays.toString(blockChannels) + " and " + java.util.Arrays.toString(blockLayers));
        }
        PooledClassifier.checkClasses("MaxVit", numClasses);
        this.inputSize = inputSize;
        int size = convOut(inputSize);
        int[] sizes = new int[blockChannels.length];
        for (int b = 0, s = size; b < sizes.length; b++) {
            s = convOut(s);
            sizes[b] = s;
            if (s % partitionSize != 0) {
                throw new IllegalArgumentException("MaxVit: input size " + s + "×" + s + " of block " + b + " is not divisible by partition size "
                        + partitionSize + "; block input sizes for " + inputSize + "-pixel images: " + java.util.Arrays.toString(sizes));
            }
        }
        stem = register("stem", new Sequential(
                new Sequential(new Conv2d(3, stemChannels, 3, 3, ConvOptions.DEFAULT.stride(2).padding(1), false), norm(stemChannels), new GELU()),
                new Sequential(new Conv2d(stemChannels, stemChannels, 3, 3, ConvOptions.DEFAULT.padding(1), true))));
        int total = java.util.Arrays.stream(blockLayers).sum();
        Sequential all = new Sequential();
        int layerIndex = 0;
        int in = stemChannels;
        for (int b = 0; b < blockChannels.length; b++) {
            Sequential block = new Sequential();
            for (int i = 0; i < blockLayers[b]; i++) {
                // numpy's linspace(0, p, total), as torchvision draws the rates.
                double p = total == 1 ? 0 : stochasticDepthProb * layerIndex / (total - 1);
                int out = blockChannels[b];
                Sequential layer = new Sequential();
                layer.add("MBconv", new MBConv(i == 0 ? in : out, out, 4, 0.25, i == 0 ? 2 : 1, p));
                layer.add("window_attention", new PartitionAttention(out, headDim, partitionSize, false, sizes[b], p));
                layer.add("grid_attention", new PartitionAttention(out, headDim, partitionSize, true, sizes[b], p));
                block.add(new Stage(layer));
                layerIndex++;
            }
            all.add(new Stage(block));
            in = blockChannels[b];
        }
        blocks = register("blocks", all);
        int last = blockChannels[blockChannels.length - 1];
        classifier = register("classifier", new Sequential(new AdaptiveAvgPool2d(1), new Flatten(), new LayerNorm(new int[] {last}, 1e-5, true),
                new Linear(last, last), new Tanh(), new Linear(last, numClasses, false)));
        try (var off = GradMode.off()) {
            for (Module m : modules()) {
                if (m instanceof Conv2d c) {
                    Init.normal_(c.weight, 0, 0.02);
                    if (c.bias != null) {
                        Init.zeros_(c.bias);
                    }
                } else if (m instanceof BatchNorm2d bn) {
                    Init.ones_(bn.weight);
                    Init.zeros_(bn.bias);
                } else if (m instanceof Linear l) {
                    Init.normal_(l.weight, 0, 0.02);
                    if (l.bias != null) {
                        Init.zeros_(l.bias);
                    }
                }
            }
        }
    }

    private static int convOut(int size) {
        return (size - 3 + 2) / 2 + 1;
    }

    private static BatchNorm2d norm(int channels) {
        return new BatchNorm2d(channels, 1e-3, 0.99, true, true);
    }

    public static MaxVit maxvit_t() {
        return new MaxVit(224, 64, 7, new int[] {64, 128, 256, 512}, new int[] {2, 2, 5, 2}, 32, 0.2, 1000);
    }

    public static MaxVit maxvit_t(Weights weights) throws IOException {
        return weights.loadInto(maxvit_t(), "maxvit_t");
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.dim() != 4 || x.size(1) != 3 || x.size(2) != inputSize || x.size(3) != inputSize) {
            throw new IllegalArgumentException("MaxVit: expects (N, 3, " + inputSize + ", " + inputSize + ") images (its partitions are fixed by "
                    + "input_size), got shape " + Shapes.str(x.shape()));
        }
        return classifier.call(blocks.call(stem.call(x)));
    }

    /** Pooling, layer norm, Linear, tanh and the last Linear ({@code classifier[5]}). */
    public Sequential classifier() {
        return classifier;
    }

    @Override
    public Linear resetClassifier(int numClasses) {
        PooledClassifier.checkClasses("MaxVit", numClasses);
        Linear layer = new Linear(((Linear) classifier.get(5)).weight.size(1), numClasses, false);
        classifier.set(5, layer);
        return layer;
    }

    /**
     * A module whose one child is {@code layers}: torchvision's {@code MaxVitBlock} (its layers,
     * {@code layers.<i>}) and {@code MaxVitLayer} (MBconv, window_attention, grid_attention).
     */
    static final class Stage extends Module {
        private final Sequential layers;

        Stage(Sequential layers) {
            this.layers = register("layers", layers);
        }

        @Override
        public Tensor forward(Tensor x) {
            return layers.call(x);
        }
    }

    /**
     * MaxViT's MBConv: batch norm, 1×1 expansion (×4), 3×3 depthwise with the stride, squeeze-
     * excitation to a quarter of the output channels, 1×1 projection, plus the input (average
     * pooled and 1×1 projected where the shape changes).
     */
    static final class MBConv extends Module {
        private final Sequential proj;
        private final StochasticDepth stochasticDepth;
        private final Sequential layers;

        MBConv(int in, int out, double expansion, double squeeze, int stride, double stochasticDepthProb) {
            if (stride != 1 || in != out) {
                Conv2d project = new Conv2d(in, out, 1, 1, ConvOptions.DEFAULT, true);
                proj = register("proj", stride == 2 ? new Sequential(new AvgPool2d(3, 2, 1), project) : new Sequential(project));
            } else {
                proj = null;
            }
            stochasticDepth = stochasticDepthProb > 0 ? register("stochastic_depth", new StochasticDepth(stochasticDepthProb, "row")) : null;
            int mid = (int) (out * expansion);
            Sequential l = new Sequential();
            l.add("pre_norm", norm(in));
            l.add("conv_a", new Sequential(new Conv2d(in, mid, 1, 1, ConvOptions.DEFAULT, false), norm(mid), new GELU()));
            l.add("conv_b", new Sequential(new Conv2d(mid, mid, 3, 3, ConvOptions.DEFAULT.stride(stride).padding(1).groups(mid), false), norm(mid),
                    new GELU()));
            l.add("squeeze_excitation", new SqueezeExcitation(mid, (int) (out * squeeze), SiLU::new, dev.cortado.nn.Sigmoid::new));
            l.add("conv_c", new Conv2d(mid, out, 1, 1, ConvOptions.DEFAULT, true));
            layers = register("layers", l);
        }

        @Override
        public Tensor forward(Tensor x) {
            Tensor residual = proj == null ? x : proj.call(x);
            Tensor y = layers.call(x);
            return residual.add(stochasticDepth == null ? y : stochasticDepth.call(y));
        }
    }

    /**
     * {@code PartitionAttentionLayer}: the (B, C, H, W) map cut into p×p windows of neighbours
     * ("window") or into p×p sets of pixels spaced H/p apart ("grid"), attention and an MLP within
     * each, each with a residual, then put back.
     */
    static final class PartitionAttention extends Module {
        private final int p;
        private final boolean grid;
        private final int gridSize;
        private final Sequential attnLayer;
        private final Sequential mlpLayer;
        private final StochasticDepth stochasticDropout;

        PartitionAttention(int channels, int headDim, int partitionSize, boolean grid, int gridSize, double stochasticDepthProb) {
            this.grid = grid;
            this.gridSize = gridSize;
            int partitions = gridSize / partitionSize;
            p = grid ? partitions : partitionSize;
            attnLayer = register("attn_layer", new Sequential(new LayerNorm(new int[] {channels}, 1e-5, true),
                    new RelativePositionalAttention(channels, headDim, partitionSize * partitionSize), new Dropout(0)));
            mlpLayer = register("mlp_layer", new Sequential(new LayerNorm(new int[] {channels}, 1e-5, true), new Linear(channels, 4 * channels),
                    new GELU(), new Linear(4 * channels, channels), new Dropout(0)));
            stochasticDropout = register("stochastic_dropout", new StochasticDepth(stochasticDepthProb, "row"));
        }

        @Override
        public Tensor forward(Tensor x) {
            int b = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
            if (h != gridSize || w != gridSize) {
                throw new IllegalArgumentException("MaxVit: a partition layer built for " + gridSize + "×" + gridSize + " maps got " + h + "×" + w);
            }
            Tensor t = x.reshape(b, c, h / p, p, w / p, p).permute(0, 2, 4, 3, 5, 1).reshape(b, (h / p) * (w / p), p * p, c);
            if (grid) {
                t = t.transpose(-2, -3);
            }
            t = t.add(stochasticDropout.call(attnLayer.call(t)));
            t = t.add(stochasticDropout.call(mlpLayer.call(t)));
            if (grid) {
                t = t.transpose(-2, -3);
            }
            return t.reshape(b, h / p, w / p, p, p, c).permute(0, 5, 1, 3, 2, 4).reshape(b, c, h, w);
        }
    }

    /**
     * {@code RelativePositionalMultiHeadAttention} over (B, G, P, D) partitions: heads of
     * {@code headDim}, keys scaled by D^−½ (the whole feature size, as torchvision's), a learned
     * bias per relative position within the √P × √P partition.
     */
    static final class RelativePositionalAttention extends Module {
        private final int heads;
        private final int headDim;
        private final int seq;
        private final double scale;
        private final Linear toQkv;
        private final Linear merge;
        private final Tensor relativePositionBiasTable;
        private final Tensor relativePositionIndex;

        RelativePositionalAttention(int featDim, int headDim, int maxSeqLen) {
            if (featDim % headDim != 0) {
                throw new IllegalArgumentException("MaxVit: feat_dim " + featDim + " must be divisible by head_dim " + headDim);
            }
            this.heads = featDim / headDim;
            this.headDim = headDim;
            this.seq = maxSeqLen;
            int size = (int) Math.sqrt(maxSeqLen);
            scale = Math.pow(featDim, -0.5);
            toQkv = register("to_qkv", new Linear(featDim, 3 * featDim));
            merge = register("merge", new Linear(featDim, featDim));
            Tensor table = Tensor.zeros((2 * size - 1) * (2 * size - 1), heads);
            try (var off = GradMode.off()) {
                Init.truncNormal_(table, 0, 0.02, -2, 2);
            }
            relativePositionBiasTable = registerParameter("relative_position_bias_table", table);
            long[] index = new long[maxSeqLen * maxSeqLen];
            for (int a = 0; a < maxSeqLen; a++) {
                for (int c = 0; c < maxSeqLen; c++) {
                    index[a * maxSeqLen + c] = (long) (a / size - c / size + size - 1) * (2 * size - 1) + (a % size - c % size + size - 1);
                }
            }
            relativePositionIndex = registerBuffer("relative_position_index", Tensor.fromArray(index, maxSeqLen, maxSeqLen));
        }

        @Override
        public Tensor forward(Tensor x) {
            int b = x.size(0), g = x.size(1), p = x.size(2), d = x.size(3);
            List<Tensor> qkv = toQkv.call(x).chunk(3, -1);
            Tensor q = qkv.get(0).reshape(b, g, p, heads, headDim).permute(0, 1, 3, 2, 4);
            Tensor k = qkv.get(1).reshape(b, g, p, heads, headDim).permute(0, 1, 3, 2, 4).mul(scale);
            Tensor v = qkv.get(2).reshape(b, g, p, heads, headDim).permute(0, 1, 3, 2, 4);
            Tensor bias = relativePositionBiasTable.indexSelect(0, relativePositionIndex.view(-1)).view(seq, seq, heads).permute(2, 0, 1)
                    .contiguous().unsqueeze(0);
            Tensor attn = F.softmax(q.matmul(k.transpose(-2, -1)).add(bias), -1);
            return merge.call(attn.matmul(v).permute(0, 1, 3, 2, 4).reshape(b, g, p, d));
        }
    }
}
