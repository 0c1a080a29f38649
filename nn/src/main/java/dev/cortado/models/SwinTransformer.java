package dev.cortado.models;

import dev.cortado.autograd.GradMode;
import dev.cortado.nn.AdaptiveAvgPool2d;
import dev.cortado.nn.Conv2d;
import dev.cortado.nn.Dropout;
import dev.cortado.nn.F;
import dev.cortado.nn.GELU;
import dev.cortado.nn.Init;
import dev.cortado.nn.LayerNorm;
import dev.cortado.nn.Linear;
import dev.cortado.nn.Module;
import dev.cortado.nn.ReLU;
import dev.cortado.nn.Sequential;
import dev.cortado.tensor.ConvOptions;
import dev.cortado.tensor.Shapes;
import dev.cortado.tensor.Tensor;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/**
 * torchvision's {@code SwinTransformer(patch_size, embed_dim, depths, num_heads, window_size,
 * stochastic_depth_prob, num_classes)}: a strided convolution cuts the image into patches, stages
 * of blocks attend within windows (every second block with the windows shifted by half, so that
 * information crosses window borders), patch merging halves the resolution between stages, then
 * layer norm, average pooling and {@code head}. Activations run channels-last, (N, H, W, C), as in
 * torchvision. Version 2 ({@code v2}) normalises after attention and MLP rather than before, uses
 * cosine attention with a learned scale, and a small MLP for the relative position bias.
 */
public final class SwinTransformer extends LinearHeadClassifier {
    private final Sequential features;
    private final LayerNorm norm;
    private final Permute permute;
    private final AdaptiveAvgPool2d avgpool;

    public SwinTransformer(int patchSize, int embedDim, int[] depths, int[] numHeads, int windowSize, double stochasticDepthProb,
                           int numClasses, boolean v2) {
        if (depths.length == 0 || depths.length != numHeads.length) {
            throw new IllegalArgumentException("SwinTransformer: depths and num_heads need one entry per stage, got " + Arrays.toString(depths)
                    + " and " + Arrays.toString(numHeads));
        }
        if (patchSize < 1 || windowSize < 2 || embedDim < 1) {
            throw new IllegalArgumentException("SwinTransformer: patch_size and embed_dim must be positive and window_size at least 2, got "
                    + patchSize + ", " + embedDim + " and " + windowSize);
        }
        PooledClassifier.checkClasses("SwinTransformer", numClasses);
        Sequential f = new Sequential(new Sequential(new Conv2d(3, embedDim, patchSize, patchSize, ConvOptions.DEFAULT.stride(patchSize), true),
                new Permute(0, 2, 3, 1), layerNorm(embedDim)));
        int total = Arrays.stream(depths).sum();
        int blockId = 0;
        for (int s = 0; s < depths.length; s++) {
            int dim = embedDim << s;
            if (dim % numHeads[s] != 0) {
                throw new IllegalArgumentException("SwinTransformer: stage " + s + " has " + dim + " channels, not divisible by its " + numHeads[s]
                        + " heads");
            }
            Sequential stage = new Sequential();
            for (int i = 0; i < depths[s]; i++) {
                double sd = total > 1 ? stochasticDepthProb * blockId / (total - 1) : 0;
                stage.add(new Block(dim, numHeads[s], windowSize, i % 2 == 0 ? 0 : windowSize / 2, sd, v2));
                blockId++;
            }
            f.add(stage);
            if (s < depths.length - 1) {
                f.add(new PatchMerging(dim, v2));
            }
        }
        int numFeatures = embedDim << (depths.length - 1);
        features = register("features", f);
        norm = register("norm", layerNorm(numFeatures));
        permute = register("permute", new Permute(0, 3, 1, 2));
        avgpool = register("avgpool", new AdaptiveAvgPool2d(1));
        registerHead("head", new Linear(numFeatures, numClasses));
        // torchvision's: every linear layer truncated normal with std 0.02 and bias 0 (the MLPs' own
        // Xavier initialisation is overwritten by this loop there too).
        try (var off = GradMode.off()) {
            for (Module m : modules()) {
                if (m instanceof Linear l) {
                    Init.truncNormal_(l.weight, 0, 0.02, -2, 2);
                    if (l.bias != null) {
                        Init.zeros_(l.bias);
                    }
                }
            }
        }
    }

    private static LayerNorm layerNorm(int dim) {
        return new LayerNorm(new int[] {dim}, 1e-5, true);
    }

    public static SwinTransformer swin_t() {
        return new SwinTransformer(4, 96, new int[] {2, 2, 6, 2}, new int[] {3, 6, 12, 24}, 7, 0.2, 1000, false);
    }

    public static SwinTransformer swin_s() {
        return new SwinTransformer(4, 96, new int[] {2, 2, 18, 2}, new int[] {3, 6, 12, 24}, 7, 0.3, 1000, false);
    }

    public static SwinTransformer swin_b() {
        return new SwinTransformer(4, 128, new int[] {2, 2, 18, 2}, new int[] {4, 8, 16, 32}, 7, 0.5, 1000, false);
    }

    public static SwinTransformer swin_v2_t() {
        return new SwinTransformer(4, 96, new int[] {2, 2, 6, 2}, new int[] {3, 6, 12, 24}, 8, 0.2, 1000, true);
    }

    public static SwinTransformer swin_v2_s() {
        return new SwinTransformer(4, 96, new int[] {2, 2, 18, 2}, new int[] {3, 6, 12, 24}, 8, 0.3, 1000, true);
    }

    public static SwinTransformer swin_v2_b() {
        return new SwinTransformer(4, 128, new int[] {2, 2, 18, 2}, new int[] {4, 8, 16, 32}, 8, 0.5, 1000, true);
    }

    public static SwinTransformer swin_t(Weights weights) throws IOException {
        return weights.loadInto(swin_t(), "swin_t");
    }

    public static SwinTransformer swin_s(Weights weights) throws IOException {
        return weights.loadInto(swin_s(), "swin_s");
    }

    public static SwinTransformer swin_b(Weights weights) throws IOException {
        return weights.loadInto(swin_b(), "swin_b");
    }

    public static SwinTransformer swin_v2_t(Weights weights) throws IOException {
        return weights.loadInto(swin_v2_t(), "swin_v2_t");
    }

    public static SwinTransformer swin_v2_s(Weights weights) throws IOException {
        return weights.loadInto(swin_v2_s(), "swin_v2_s");
    }

    public static SwinTransformer swin_v2_b(Weights weights) throws IOException {
        return weights.loadInto(swin_v2_b(), "swin_v2_b");
    }

    @Override
    public Tensor forward(Tensor x) {
        ModelInputs.requireRgbBatch("SwinTransformer", x);
        return headLayer().call(avgpool.call(permute.call(norm.call(features.call(x)))).flatten(1));
    }

    public Linear head() {
        return headLayer();
    }

    /** {@code model.head = nn.Linear(model.head.in_features, classes)}; returns it. */
    public Linear replaceHead(Linear layer) {
        return replaceHeadLayer(layer);
    }

    /** A Swin block: (shifted) window attention and an MLP, each with a residual through stochastic depth; layer norms before (v1) or after (v2). */
    static final class Block extends Module {
        private final LayerNorm norm1;
        private final WindowAttention attn;
        private final StochasticDepth stochasticDepth;
        private final LayerNorm norm2;
        private final Sequential mlp;
        private final boolean v2;

        Block(int dim, int numHeads, int windowSize, int shift, double stochasticDepthProb, boolean v2) {
            this.v2 = v2;
            norm1 = register("norm1", layerNorm(dim));
            attn = register("attn", new WindowAttention(dim, windowSize, shift, numHeads, v2));
            stochasticDepth = register("stochastic_depth", new StochasticDepth(stochasticDepthProb, "row"));
            norm2 = register("norm2", layerNorm(dim));
            mlp = register("mlp", new Sequential(new Linear(dim, 4 * dim), new GELU(), new Dropout(0), new Linear(4 * dim, dim), new Dropout(0)));
        }

        @Override
        public Tensor forward(Tensor x) {
            if (v2) {
                Tensor y = x.add(stochasticDepth.call(norm1.call(attn.call(x))));
                return y.add(stochasticDepth.call(norm2.call(mlp.call(y))));
            }
            Tensor y = x.add(stochasticDepth.call(attn.call(norm1.call(x))));
            return y.add(stochasticDepth.call(mlp.call(norm2.call(y))));
        }
    }

    /**
     * Patch merging: each 2×2 group of pixels (zero-padded to even sizes) concatenated to 4C
     * channels and reduced to 2C by a linear layer; layer norm before (v1) or after (v2).
     */
    static final class PatchMerging extends Module {
        private final Linear reduction;
        private final LayerNorm norm;
        private final boolean v2;

        PatchMerging(int dim, boolean v2) {
            this.v2 = v2;
            reduction = register("reduction", new Linear(4 * dim, 2 * dim, false));
            norm = register("norm", layerNorm(v2 ? 2 * dim : 4 * dim));
        }

        @Override
        public Tensor forward(Tensor x) {
            int h = x.size(1), w = x.size(2);
            Tensor p = x.pad(0, 0, 0, w % 2, 0, h % 2);
            int ph = p.size(1), pw = p.size(2);
            Tensor merged = Tensor.cat(List.of(p.slice(1, 0, ph, 2).slice(2, 0, pw, 2), p.slice(1, 1, ph, 2).slice(2, 0, pw, 2),
                    p.slice(1, 0, ph, 2).slice(2, 1, pw, 2), p.slice(1, 1, ph, 2).slice(2, 1, pw, 2)), -1);
            return v2 ? norm.call(reduction.call(merged)) : reduction.call(norm.call(merged));
        }
    }

    /**
     * torchvision's {@code ShiftedWindowAttention} (v1) and {@code ShiftedWindowAttentionV2}:
     * multi-head self-attention within windowSize² windows, rolled by {@code shift} first (a mask
     * keeps pixels that the roll brought together from attending to each other), plus a relative
     * position bias per head: a learned table (v1) or 16·σ of a small MLP of log-spaced relative
     * coordinates (v2, with cosine attention scaled by a learned, clamped temperature).
     */
    static final class WindowAttention extends Module {
        private final int windowSize;
        private final int shift;
        private final int numHeads;
        private final boolean v2;
        private final Linear qkv;
        private final Linear proj;
        private final Tensor relativePositionBiasTable;
        private final Tensor logitScale;
        private final Tensor relativeCoordsTable;
        private final Tensor relativePositionIndex;
        private final Sequential cpbMlp;

        WindowAttention(int dim, int windowSize, int shift, int numHeads, boolean v2) {
            this.windowSize = windowSize;
            this.shift = shift;
            this.numHeads = numHeads;
            this.v2 = v2;
            qkv = register("qkv", new Linear(dim, 3 * dim));
            proj = register("proj", new Linear(dim, dim));
            int span = 2 * windowSize - 1;
            if (v2) {
                relativePositionBiasTable = null;
                relativeCoordsTable = registerBuffer("relative_coords_table", relativeCoords(windowSize));
            } else {
                relativeCoordsTable = null;
                Tensor table = Tensor.zeros(span * span, numHeads);
                try (var off = GradMode.off()) {
                    Init.truncNormal_(table, 0, 0.02, -2, 2);
                }
                relativePositionBiasTable = registerParameter("relative_position_bias_table", table);
            }
            relativePositionIndex = registerBuffer("relative_position_index", relativeIndex(windowSize));
            if (v2) {
                logitScale = registerParameter("logit_scale", Tensor.full(new int[] {numHeads, 1, 1}, Math.log(10)));
                cpbMlp = register("cpb_mlp", new Sequential(new Linear(2, 512), new ReLU(), new Linear(512, numHeads, false)));
            } else {
                logitScale = null;
                cpbMlp = null;
            }
        }

        /** Index of each (query, key) pair's relative offset in the (2w − 1)² table, row-major. */
        private static Tensor relativeIndex(int w) {
            int n = w * w;
            long[] index = new long[n * n];
            for (int a = 0; a < n; a++) {
                for (int b = 0; b < n; b++) {
                    int dy = a / w - b / w + w - 1;
                    int dx = a % w - b % w + w - 1;
                    index[a * n + b] = (long) dy * (2 * w - 1) + dx;
                }
            }
            return Tensor.fromArray(index, n * n);
        }

        /** V2's (1, 2w − 1, 2w − 1, 2) table of relative coordinates scaled to ±8 and log-spaced: sign(c) · log2(|c| + 1) / 3. */
        private static Tensor relativeCoords(int w) {
            int span = 2 * w - 1;
            float[] t = new float[span * span * 2];
            for (int i = 0; i < span; i++) {
                for (int j = 0; j < span; j++) {
                    float[] c = {(float) (i - (w - 1)) / (w - 1) * 8, (float) (j - (w - 1)) / (w - 1) * 8};
                    for (int k = 0; k < 2; k++) {
                        float log2 = (float) (Math.log(Math.abs(c[k]) + 1f) / Math.log(2));
                        t[(i * span + j) * 2 + k] = Math.signum(c[k]) * log2 / 3;
                    }
                }
            }
            return Tensor.fromArray(t, 1, span, span, 2);
        }

        /** (1, heads, N, N): each head's bias for each (query, key) pair of a window. */
        private Tensor relativePositionBias() {
            int n = windowSize * windowSize;
            Tensor table = v2 ? cpbMlp.call(relativeCoordsTable).view(-1, numHeads) : relativePositionBiasTable;
            Tensor bias = table.indexSelect(0, relativePositionIndex).view(n, n, numHeads).permute(2, 0, 1).contiguous().unsqueeze(0);
            return v2 ? bias.sigmoid().mul(16) : bias;
        }

        @Override
        public Tensor forward(Tensor x) {
            if (x.dim() != 4) {
                throw new IllegalArgumentException("ShiftedWindowAttention: expects (B, H, W, C), got " + Shapes.str(x.shape()));
            }
            int b = x.size(0), h = x.size(1), w = x.size(2), c = x.size(3);
            int ws = windowSize;
            Tensor padded = x.pad(0, 0, 0, (ws - w % ws) % ws, 0, (ws - h % ws) % ws);
            int ph = padded.size(1), pw = padded.size(2);
            // No shift along an axis that one window covers, as torchvision.
            int sh = ws >= ph ? 0 : shift;
            int sw = ws >= pw ? 0 : shift;
            boolean shifted = sh + sw > 0;
            Tensor t = shifted ? padded.roll(new int[] {-sh, -sw}, new int[] {1, 2}) : padded;
            int windows = (ph / ws) * (pw / ws);
            int n = ws * ws;
            t = t.view(b, ph / ws, ws, pw / ws, ws, c).permute(0, 1, 3, 2, 4, 5).reshape(b * windows, n, c);
            Tensor qkvBias = qkv.bias;
            if (v2 && qkvBias != null) {
                // V2 has no key bias: the middle third is zeroed on every call (its parameter still trains in torchvision's way).
                Tensor keep = Tensor.ones(3 * c).to(qkvBias.device());
                try (var off = GradMode.off()) {
                    keep.narrow(0, c, c).fill_(0);
                }
                qkvBias = qkvBias.mul(keep);
            }
            Tensor qkvOut = F.linear(t, qkv.weight, qkvBias).reshape(b * windows, n, 3, numHeads, c / numHeads).permute(2, 0, 3, 1, 4);
            Tensor q = qkvOut.select(0, 0), k = qkvOut.select(0, 1), v = qkvOut.select(0, 2);
            Tensor attn;
            if (v2) {
                attn = F.normalize(q, 2, -1, 1e-12).matmul(F.normalize(k, 2, -1, 1e-12).transpose(-2, -1));
                attn = attn.mul(logitScale.clampMax(Math.log(100.0)).exp());
            } else {
                attn = q.mul(Math.pow(c / numHeads, -0.5)).matmul(k.transpose(-2, -1));
            }
            attn = attn.add(relativePositionBias());
            if (shifted) {
                Tensor mask = shiftMask(ph, pw, ws, sh, sw).to(x.device());
                attn = attn.view(b, windows, numHeads, n, n).add(mask.unsqueeze(1).unsqueeze(0)).view(-1, numHeads, n, n);
            }
            attn = F.softmax(attn, -1);
            Tensor y = attn.matmul(v).transpose(1, 2).reshape(b * windows, n, c);
            y = proj.call(y);
            y = y.view(b, ph / ws, pw / ws, ws, ws, c).permute(0, 1, 3, 2, 4, 5).reshape(b, ph, pw, c);
            if (shifted) {
                y = y.roll(new int[] {sh, sw}, new int[] {1, 2});
            }
            return y.narrow(1, 0, h).narrow(2, 0, w).contiguous();
        }

        /**
         * (windows, N, N): −100 between pixels of one window that came from different regions of
         * the rolled image (the three bands per axis that torchvision numbers), 0 otherwise.
         */
        private static Tensor shiftMask(int ph, int pw, int ws, int sh, int sw) {
            int[] region = new int[ph * pw];
            for (int y = 0; y < ph; y++) {
                int ry = y < ph - ws ? 0 : y < ph - sh ? 1 : 2;
                for (int x = 0; x < pw; x++) {
                    int rx = x < pw - ws ? 0 : x < pw - sw ? 1 : 2;
                    region[y * pw + x] = ry * 3 + rx;
                }
            }
            int wy = ph / ws, wx = pw / ws, n = ws * ws;
            float[] mask = new float[wy * wx * n * n];
            for (int win = 0; win < wy * wx; win++) {
                int y0 = win / wx * ws, x0 = win % wx * ws;
                for (int a = 0; a < n; a++) {
                    int ra = region[(y0 + a / ws) * pw + x0 + a % ws];
                    for (int bb = 0; bb < n; bb++) {
                        int rb = region[(y0 + bb / ws) * pw + x0 + bb % ws];
                        mask[(win * n + a) * n + bb] = ra == rb ? 0 : -100;
                    }
                }
            }
            return Tensor.fromArray(mask, wy * wx, n, n);
        }
    }
}
