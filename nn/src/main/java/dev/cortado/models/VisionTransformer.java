package dev.cortado.models;

import dev.cortado.autograd.GradMode;
import dev.cortado.nn.Conv2d;
import dev.cortado.nn.Checkpoints;
import dev.cortado.nn.Dropout;
import dev.cortado.nn.GELU;
import dev.cortado.nn.Init;
import dev.cortado.nn.LayerNorm;
import dev.cortado.nn.Linear;
import dev.cortado.nn.Module;
import dev.cortado.nn.MultiheadAttention;
import dev.cortado.nn.Sequential;
import dev.cortado.tensor.ConvOptions;
import dev.cortado.tensor.Shapes;
import dev.cortado.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * torchvision's {@code VisionTransformer} (ViT-B/16, B/32, L/16, L/32, H/14 at 224×224):
 * {@code conv_proj} cuts the image into patches and embeds each, a learned {@code class_token}
 * goes first, the {@code encoder} adds position embeddings and runs pre-norm blocks (layer norm,
 * multi-head self-attention, layer norm, a GELU MLP, each with a residual), and {@code heads}
 * classifies the class token. For fine-tuning, {@code replaceHead(new Linear(hiddenDim, classes))}.
 */
public final class VisionTransformer extends Module implements ImageClassifier {
    private final int imageSize;
    private final int patchSize;
    private final int hiddenDim;
    private final Conv2d convProj;
    private final Tensor classToken;
    private final Encoder encoder;
    private final Heads heads;

    public VisionTransformer(int imageSize, int patchSize, int numLayers, int numHeads, int hiddenDim, int mlpDim, double dropout,
                             double attentionDropout, int numClasses) {
        if (patchSize < 1 || imageSize % patchSize != 0) {
            throw new IllegalArgumentException("VisionTransformer: input shape indivisible by patch size (" + imageSize + " by " + patchSize + ")");
        }
        PooledClassifier.checkClasses("VisionTransformer", numClasses);
        this.imageSize = imageSize;
        this.patchSize = patchSize;
        this.hiddenDim = hiddenDim;
        convProj = register("conv_proj", new Conv2d(3, hiddenDim, patchSize, patchSize, ConvOptions.DEFAULT.stride(patchSize), true));
        classToken = registerParameter("class_token", Tensor.zeros(1, 1, hiddenDim));
        int seqLength = (imageSize / patchSize) * (imageSize / patchSize) + 1;
        encoder = register("encoder", new Encoder(seqLength, numLayers, numHeads, hiddenDim, mlpDim, dropout, attentionDropout));
        heads = register("heads", new Heads(new Linear(hiddenDim, numClasses)));
        try (var off = GradMode.off()) {
            int fanIn = 3 * patchSize * patchSize;
            Init.truncNormal_(convProj.weight, 0, Math.sqrt(1.0 / fanIn), -2, 2);
            Init.zeros_(convProj.bias);
            Init.zeros_(heads.head.weight);
            Init.zeros_(heads.head.bias);
        }
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.dim() != 4 || x.size(1) != 3 || x.size(2) != imageSize || x.size(3) != imageSize) {
            throw new IllegalArgumentException("VisionTransformer: expects (N, 3, " + imageSize + ", " + imageSize + ") images, got "
                    + Shapes.str(x.shape()));
        }
        int n = x.size(0);
        int patches = (imageSize / patchSize) * (imageSize / patchSize);
        Tensor tokens = convProj.call(x).reshape(n, hiddenDim, patches).permute(0, 2, 1);
        Tensor withClass = Tensor.cat(List.of(classToken.expand(n, -1, -1), tokens), 1);
        return heads.call(encoder.call(withClass).select(1, 0));
    }

    /** {@code model.heads.head = nn.Linear(hidden_dim, classes)}; returns it. */
    public Linear replaceHead(Linear replacement) {
        return heads.replaceHead(replacement);
    }

    @Override
    public Linear resetClassifier(int numClasses) {
        PooledClassifier.checkClasses(getClass().getSimpleName(), numClasses);
        return replaceHead(new Linear(heads.head.weight.size(1), numClasses));
    }

    public Linear head() {
        return heads.head;
    }

    /** Patch size, layers, heads, hidden and MLP sizes of torchvision's builders. */
    private static final Map<String, int[]> CONFIGS = Map.of("vit_b_16", new int[] {16, 12, 12, 768, 3072}, "vit_b_32",
            new int[] {32, 12, 12, 768, 3072}, "vit_l_16", new int[] {16, 24, 16, 1024, 4096}, "vit_l_32", new int[] {32, 24, 16, 1024, 4096},
            "vit_h_14", new int[] {14, 32, 16, 1280, 5120});

    private static VisionTransformer of(String builder, int imageSize) {
        int[] c = CONFIGS.get(builder);
        return new VisionTransformer(imageSize, c[0], c[1], c[2], c[3], c[4], 0, 0, 1000);
    }

    public static VisionTransformer vit_b_16() {
        return of("vit_b_16", 224);
    }

    public static VisionTransformer vit_b_32() {
        return of("vit_b_32", 224);
    }

    public static VisionTransformer vit_l_16() {
        return of("vit_l_16", 224);
    }

    public static VisionTransformer vit_l_32() {
        return of("vit_l_32", 224);
    }

    public static VisionTransformer vit_h_14() {
        return of("vit_h_14", 224);
    }

    /**
     * {@code vit_b_16(weights=...)}: built for the weights' image size, as torchvision's builder
     * does (224, or SWAG's 384, 512 and 518).
     */
    public static VisionTransformer vit_b_16(Weights weights) throws IOException {
        return pretrained("vit_b_16", weights.fetchFor("vit_b_16"));
    }

    public static VisionTransformer vit_b_32(Weights weights) throws IOException {
        return pretrained("vit_b_32", weights.fetchFor("vit_b_32"));
    }

    public static VisionTransformer vit_l_16(Weights weights) throws IOException {
        return pretrained("vit_l_16", weights.fetchFor("vit_l_16"));
    }

    public static VisionTransformer vit_l_32(Weights weights) throws IOException {
        return pretrained("vit_l_32", weights.fetchFor("vit_l_32"));
    }

    public static VisionTransformer vit_h_14(Weights weights) throws IOException {
        return pretrained("vit_h_14", weights.fetchFor("vit_h_14"));
    }

    /**
     * A builder's model with a weight file's parameters, for the image size the file was trained
     * at: its position embeddings hold one token per patch plus the class token.
     */
    static VisionTransformer pretrained(String builder, Path file) throws IOException {
        return pretrained(CONFIGS.get(builder), file);
    }

    /** As above for a configuration {patch size, layers, heads, hidden, MLP}. */
    static VisionTransformer pretrained(int[] config, Path file) throws IOException {
        Map<String, Tensor> state = Checkpoints.read(file);
        int imageSize = 224;
        Tensor positions = state.get("encoder.pos_embedding");
        if (positions != null && positions.dim() == 3) {
            int patches = positions.size(1) - 1;
            int side = (int) Math.round(Math.sqrt(patches));
            if (side * side != patches) {
                throw new IllegalArgumentException(file + ": encoder.pos_embedding holds " + patches
                        + " patch positions, not a square grid of a square image");
            }
            imageSize = side * config[0];
        }
        VisionTransformer model = new VisionTransformer(imageSize, config[0], config[1], config[2], config[3], config[4], 0, 0, 1000);
        Weights.loadState(model, state, file);
        return model;
    }

    /** torchvision's {@code Encoder}: position embeddings, dropout, the blocks ({@code layers.encoder_layer_<i>}), and a final layer norm. */
    static final class Encoder extends Module {
        private final Tensor posEmbedding;
        private final Dropout dropout;
        private final List<Block> layers;
        private final LayerNorm ln;

        Encoder(int seqLength, int numLayers, int numHeads, int hiddenDim, int mlpDim, double dropout, double attentionDropout) {
            posEmbedding = registerParameter("pos_embedding", Tensor.zeros(1, seqLength, hiddenDim));
            try (var off = GradMode.off()) {
                Init.normal_(posEmbedding, 0, 0.02);
            }
            this.dropout = register("dropout", new Dropout(dropout));
            Sequential named = register("layers", new Sequential());
            java.util.List<Block> blocks = new java.util.ArrayList<>();
            for (int i = 0; i < numLayers; i++) {
                blocks.add(named.add("encoder_layer_" + i, new Block(numHeads, hiddenDim, mlpDim, dropout, attentionDropout)));
            }
            this.layers = List.copyOf(blocks);
            ln = register("ln", new LayerNorm(new int[] {hiddenDim}, 1e-6, true));
        }

        @Override
        public Tensor forward(Tensor x) {
            if (x.dim() != 3) {
                throw new IllegalArgumentException("VisionTransformer encoder: expected (batch_size, seq_length, hidden_dim), got "
                        + Shapes.str(x.shape()));
            }
            Tensor h = dropout.call(x.add(posEmbedding));
            for (Block b : layers) {
                h = b.call(h);
            }
            return ln.call(h);
        }
    }

    /** torchvision's {@code EncoderBlock}: {@code ln_1}, {@code self_attention}, {@code ln_2}, {@code mlp}, with residuals. */
    static final class Block extends Module {
        private final LayerNorm ln1;
        private final MultiheadAttention selfAttention;
        private final Dropout dropout;
        private final LayerNorm ln2;
        private final Sequential mlp;

        Block(int numHeads, int hiddenDim, int mlpDim, double dropout, double attentionDropout) {
            ln1 = register("ln_1", new LayerNorm(new int[] {hiddenDim}, 1e-6, true));
            selfAttention = register("self_attention", new MultiheadAttention(hiddenDim, numHeads, attentionDropout, true, true));
            this.dropout = register("dropout", new Dropout(dropout));
            ln2 = register("ln_2", new LayerNorm(new int[] {hiddenDim}, 1e-6, true));
            mlp = register("mlp", new Sequential(new Linear(hiddenDim, mlpDim), new GELU(), new Dropout(dropout), new Linear(mlpDim, hiddenDim),
                    new Dropout(dropout)));
            try (var off = GradMode.off()) {
                for (Module m : mlp.children()) {
                    if (m instanceof Linear l) {
                        Init.xavierUniform_(l.weight, 1);
                        Init.normal_(l.bias, 0, 1e-6);
                    }
                }
            }
        }

        @Override
        public Tensor forward(Tensor input) {
            Tensor x = ln1.call(input);
            x = dropout.call(selfAttention.forward(x, x, x, null, null, false).output()).add(input);
            return x.add(mlp.call(ln2.call(x)));
        }
    }

    /** torchvision's {@code heads}: a container with the one {@code head}. */
    static final class Heads extends Module {
        private Linear head;

        Heads(Linear head) {
            this.head = register("head", head);
        }

        Linear replaceHead(Linear replacement) {
            head = replace("head", replacement);
            return head;
        }

        @Override
        public Tensor forward(Tensor x) {
            return head.call(x);
        }
    }
}
