package dev.cortado.nn;

import dev.cortado.tensor.Tensor;
import dev.cortado.testing.OnReference;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.cortado.autograd.Gradcheck.check;
import static dev.cortado.testing.Inputs.assertClose;
import static dev.cortado.testing.Inputs.assertMessage;
import static dev.cortado.testing.Inputs.wave;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * MultiheadAttention and the Transformer encoder against PyTorch 1.13, each parameter set to a
 * wave in state-dict order: sums of the output, of a loss, of the inputs' and parameters'
 * gradients dotted with waves, and the attention weights.
 */
class AttentionTest extends OnReference {

    private static void near(String what, double expected, double actual) {
        assertEquals(expected, actual, 1e-5 * (1 + Math.abs(expected)), what);
    }

    /** PyTorch's sums: output, loss (output·wave + ½ Σ weights), inputs' gradients·waves, parameters' gradients·waves. */
    private static void matches(String name, Module m, Tensor out, Tensor weights, List<Tensor> inputs, int[] shape, double... sums) {
        assertArrayEquals(shape, out.shape(), name + " shape");
        Tensor loss = out.mul(wave(out.numel(), 0.11, false, out.shape())).sum();
        if (weights != null) {
            loss = loss.add(weights.sum().mul(0.5));
        }
        loss.backward();
        double inputGrads = 0;
        for (Tensor t : inputs) {
            inputGrads += t.grad().mul(wave(t.numel(), 0.31, true, t.shape())).sum().item();
        }
        double paramGrads = 0;
        for (Tensor p : m.parameters()) {
            paramGrads += p.grad().mul(wave(p.numel(), 0.77, true, p.shape())).sum().item();
        }
        near(name + ": output", sums[0], out.sum().item());
        near(name + ": loss", sums[1], loss.item());
        near(name + ": input gradients", sums[2], inputGrads);
        near(name + ": parameter gradients", sums[3], paramGrads);
    }

    @Test
    void multiheadAttentionMatchesPyTorch() {
        MultiheadAttention self = new MultiheadAttention(8, 2);
        WaveParameters.set(self);
        Tensor x = wave(80, 0.37, false, 5, 2, 8).requiresGrad_(true);
        MultiheadAttention.Result r = self.forward(x, x, x, null, null, true);
        assertClose("weights averaged over heads", r.weights().reshape(-1).narrow(0, 0, 3),
                Tensor.fromArray(new double[] {0.06915181130170822, 0.06175502389669418, 0.08637512475252151}, 3), 1e-6);
        matches("self-attention", self, r.output(), r.weights(), List.of(x), new int[] {5, 2, 8}, 17.232769012451172, 8.544858932495117,
                0.4509868025779724, -14.262147039175034);

        MultiheadAttention cross = new MultiheadAttention(8, 2, 0, true, true);
        WaveParameters.set(cross);
        Tensor q = wave(64, 0.37, false, 2, 4, 8).requiresGrad_(true);
        Tensor k = wave(48, 0.61, true, 2, 3, 8).requiresGrad_(true);
        Tensor v = wave(48, 0.23, false, 2, 3, 8).requiresGrad_(true);
        Tensor padding = Tensor.fromArray(new float[] {0, 0, 1, 0, 1, 0}, 2, 3);
        Tensor mask = Tensor.fromArray(new float[] {0, -1, 0.5f, 0.2f, 0, -0.3f, 0, 0, 0, 1, -2, 0}, 4, 3);
        MultiheadAttention.Result c = cross.forward(q, k, v, padding, mask, true);
        assertClose("a padded key gets no weight", c.weights().reshape(-1).narrow(0, 0, 3),
                Tensor.fromArray(new double[] {0.9515805244445801, 0.04841949790716171, 0}, 3), 1e-6);
        matches("cross-attention, batch first, both masks", cross, c.output(), c.weights(), List.of(q, k, v), new int[] {2, 4, 8},
                13.925551414489746, 4.780755996704102, 0.5133424550294876, 139.52360812574625);
    }

    /** kdim and vdim (separate projections), add_bias_kv and add_zero_attn, alone and together, masks widened over the added keys. */
    @Test
    void projectionWidthsAndAddedKeysMatchPyTorch() {
        MultiheadAttention widths = new MultiheadAttention(8, 2, 0, true, false, false, 6, 5, false);
        assertEquals(List.of("q_proj_weight", "k_proj_weight", "v_proj_weight", "in_proj_bias", "out_proj.weight", "out_proj.bias"),
                List.copyOf(widths.namedParameters().keySet()));
        WaveParameters.set(widths);
        Tensor q = wave(64, 0.37, false, 4, 2, 8).requiresGrad_(true);
        Tensor k = wave(36, 0.61, true, 3, 2, 6).requiresGrad_(true);
        Tensor v = wave(30, 0.23, false, 3, 2, 5).requiresGrad_(true);
        MultiheadAttention.Result r = widths.forward(q, k, v, null, null, true);
        assertClose("weights", r.weights().reshape(-1).narrow(0, 0, 3),
                Tensor.fromArray(new double[] {0.7586789131164551, 0.13354426622390747, 0.10777682811021805}, 3), 1e-6);
        matches("kdim 6, vdim 5", widths, r.output(), r.weights(), List.of(q, k, v), new int[] {4, 2, 8}, 12.29404067993164,
                3.8112306594848633, -0.5721669942140579, 2.1574956607073545);

        Tensor padding = Tensor.fromArray(new float[] {0, 0, 1, 0, 1, 0}, 2, 3);
        Tensor mask = Tensor.fromArray(new float[] {0, -1, 0.5f, 0.2f, 0, -0.3f, 0, 0, 0, 1, -2, 0}, 4, 3);
        MultiheadAttention biasKv = new MultiheadAttention(8, 2, 0, true, true, false, 8, 8, false);
        assertEquals(List.of("in_proj_weight", "in_proj_bias", "bias_k", "bias_v", "out_proj.weight", "out_proj.bias"),
                List.copyOf(biasKv.namedParameters().keySet()));
        WaveParameters.set(biasKv);
        q = wave(64, 0.37, false, 4, 2, 8).requiresGrad_(true);
        k = wave(48, 0.61, true, 3, 2, 8).requiresGrad_(true);
        v = wave(48, 0.23, false, 3, 2, 8).requiresGrad_(true);
        r = biasKv.forward(q, k, v, padding, mask, true);
        assertArrayEquals(new int[] {2, 4, 4}, r.weights().shape(), "one key more");
        assertClose("weights", r.weights().reshape(-1).narrow(0, 0, 4),
                Tensor.fromArray(new double[] {0.918594241142273, 0.004011454060673714, 0, 0.07739423960447311}, 4), 1e-6);
        matches("add_bias_kv, both masks", biasKv, r.output(), r.weights(), List.of(q, k, v), new int[] {4, 2, 8}, 15.462453842163086,
                5.099483013153076, 2.324037730693817, 13.085831858217716);

        MultiheadAttention zeroAttn = new MultiheadAttention(8, 2, 0, true, false, true, 8, 8, true);
        WaveParameters.set(zeroAttn);
        q = wave(64, 0.37, false, 2, 4, 8).requiresGrad_(true);
        k = wave(48, 0.61, true, 2, 3, 8).requiresGrad_(true);
        v = wave(48, 0.23, false, 2, 3, 8).requiresGrad_(true);
        r = zeroAttn.forward(q, k, v, padding, mask, true);
        assertClose("weights", r.weights().reshape(-1).narrow(0, 0, 4),
                Tensor.fromArray(new double[] {0.841387152671814, 0.041852954775094986, 0, 0.11675992608070374}, 4), 1e-6);
        matches("add_zero_attn, batch first, both masks", zeroAttn, r.output(), r.weights(), List.of(q, k, v), new int[] {2, 4, 8},
                13.72756290435791, 4.456878185272217, 0.2546689659357071, 105.26989790797234);

        MultiheadAttention all = new MultiheadAttention(8, 4, 0, false, true, true, 3, 7, false);
        assertEquals(List.of("q_proj_weight", "k_proj_weight", "v_proj_weight", "bias_k", "bias_v", "out_proj.weight"),
                List.copyOf(all.namedParameters().keySet()));
        WaveParameters.set(all);
        q = wave(40, 0.37, false, 5, 8).requiresGrad_(true);
        k = wave(12, 0.61, true, 4, 3).requiresGrad_(true);
        v = wave(28, 0.23, false, 4, 7).requiresGrad_(true);
        r = all.forward(q, k, v, null, MultiheadAttention.causalMask(5).narrow(1, 0, 4), true);
        assertArrayEquals(new int[] {5, 6}, r.weights().shape(), "two keys more, unbatched");
        matches("every option, unbatched, no bias", all, r.output(), r.weights(), List.of(q, k, v), new int[] {5, 8}, 2.5490026473999023,
                2.2780699729919434, -0.15949209034442902, 11.0350421667099);

        assertMessage(() -> widths.forward(Tensor.randn(4, 2, 8), Tensor.randn(3, 2, 8), Tensor.randn(3, 2, 5), null, null, false),
                "MultiheadAttention: query, key and value must have widths 8, 6 and 5 (embed_dim, kdim, vdim)");
        MultiheadAttention fresh = new MultiheadAttention(64, 2, 0, true, true, false, 16, 16, false);
        double bound = Math.sqrt(6.0 / (64 + 16));
        double largest = fresh.kProjWeight.abs().max().item();
        assertTrue(largest <= bound && largest > 0.9 * bound, "k_proj_weight: Xavier uniform over (64, 16), bound " + bound + ", got " + largest);
        assertEquals(Math.sqrt(2.0 / 128), fresh.biasK.std().item(), 0.05, "bias_k: Xavier normal over (1, 1, 64)");
        assertEquals(0, fresh.inProjBias.abs().sum().item(), 0, "in_proj_bias starts at zero");
        assertMessage(() -> new MultiheadAttention(8, 2, 0, true, false, false, 0, 8, false),
                "MultiheadAttention: kdim and vdim must be positive, got 0 and 8");
    }

    @Test
    void encoderLayersMatchPyTorch() {
        TransformerEncoderLayer post = new TransformerEncoderLayer(8, 2, 16, 0, "relu", 1e-5, false, false);
        WaveParameters.set(post);
        Tensor x = wave(80, 0.37, false, 5, 2, 8).requiresGrad_(true);
        matches("post-norm, relu", post, post.forward(x), null, List.of(x), new int[] {5, 2, 8}, -7.934961795806885, -0.931512713432312,
                0.5448226928710938, 2.7105656564235687);
        TransformerEncoderLayer pre = new TransformerEncoderLayer(8, 2, 16, 0, "gelu", 1e-5, true, true);
        WaveParameters.set(pre);
        Tensor y = wave(80, 0.37, false, 2, 5, 8).requiresGrad_(true);
        Tensor padding = Tensor.fromArray(new float[] {0, 0, 0, 0, 1, 0, 0, 0, 0, 0}, 2, 5);
        matches("pre-norm, gelu, padded", pre, pre.forward(y, null, padding), null, List.of(y), new int[] {2, 5, 8}, 12.31589412689209,
                2.99808406829834, -4.007250785827637, 44.11506549268961);
        TransformerEncoder encoder = new TransformerEncoder(() -> new TransformerEncoderLayer(8, 2, 16, 0, "relu", 1e-5, false, false), 2,
                new LayerNorm(8));
        WaveParameters.set(encoder);
        Tensor z = wave(80, 0.37, false, 5, 2, 8).requiresGrad_(true);
        matches("two layers, causal mask, final norm", encoder, encoder.forward(z, MultiheadAttention.causalMask(5), null), null, List.of(z),
                new int[] {5, 2, 8}, -10.374017715454102, -1.7844473123550415, -0.0076207322999835014, 10.73497725604102);
        assertEquals(List.of("layers.0.self_attn.in_proj_weight", "layers.0.self_attn.in_proj_bias", "layers.0.self_attn.out_proj.weight",
                "layers.0.self_attn.out_proj.bias", "layers.0.linear1.weight", "layers.0.linear1.bias", "layers.0.linear2.weight",
                "layers.0.linear2.bias", "layers.0.norm1.weight", "layers.0.norm1.bias", "layers.0.norm2.weight", "layers.0.norm2.bias"),
                List.copyOf(encoder.namedParameters().keySet()).subList(0, 12));
    }

    @Test
    void decoderLayersMatchPyTorch() {
        TransformerDecoderLayer post = new TransformerDecoderLayer(8, 2, 16, 0, "relu", 1e-5, false, false);
        WaveParameters.set(post);
        Tensor t = wave(48, 0.37, false, 3, 2, 8).requiresGrad_(true);
        Tensor mem = wave(80, 0.61, true, 5, 2, 8).requiresGrad_(true);
        matches("post-norm, causal target", post, post.forward(t, mem, MultiheadAttention.causalMask(3), null, null, null), null, List.of(t, mem),
                new int[] {3, 2, 8}, -10.330299377441406, -1.1147485971450806, 0.10735533386468887, 3.21213004225865);
        TransformerDecoderLayer pre = new TransformerDecoderLayer(8, 2, 16, 0, "gelu", 1e-5, true, true);
        WaveParameters.set(pre);
        Tensor t2 = wave(48, 0.37, false, 2, 3, 8).requiresGrad_(true);
        Tensor mem2 = wave(80, 0.61, true, 2, 5, 8).requiresGrad_(true);
        Tensor padding = Tensor.fromArray(new float[] {0, 0, 0, 0, 1, 0, 0, 0, 0, 0}, 2, 5);
        matches("pre-norm, gelu, padded memory", pre, pre.forward(t2, mem2, null, null, null, padding), null, List.of(t2, mem2), new int[] {2, 3, 8},
                20.846519470214844, 1.4339940547943115, -5.933454513549805, -26.869485083967447);
        TransformerDecoder decoder = new TransformerDecoder(() -> new TransformerDecoderLayer(8, 2, 16, 0, "relu", 1e-5, false, false), 2,
                new LayerNorm(8));
        WaveParameters.set(decoder);
        Tensor t3 = wave(48, 0.37, false, 3, 2, 8).requiresGrad_(true);
        Tensor mem3 = wave(80, 0.61, true, 5, 2, 8).requiresGrad_(true);
        matches("two layers, final norm", decoder, decoder.forward(t3, mem3, null, null, null, null), null, List.of(t3, mem3), new int[] {3, 2, 8},
                -12.200284957885742, -1.4423328638076782, 0.006378467369358987, -3.3870412386604585);
        assertEquals(List.of("self_attn.in_proj_weight", "self_attn.in_proj_bias", "self_attn.out_proj.weight", "self_attn.out_proj.bias",
                "multihead_attn.in_proj_weight", "multihead_attn.in_proj_bias", "multihead_attn.out_proj.weight", "multihead_attn.out_proj.bias",
                "linear1.weight", "linear1.bias", "linear2.weight", "linear2.bias", "norm1.weight", "norm1.bias", "norm2.weight", "norm2.bias",
                "norm3.weight", "norm3.bias"), List.copyOf(pre.namedParameters().keySet()));
        assertMessage(() -> pre.forward(t2), "TransformerDecoderLayer: needs the target and the encoder's memory");
    }

    @Test
    void transformerMatchesPyTorch() {
        Transformer post = new Transformer(8, 2, 2, 2, 16, 0, "relu", 1e-5, false, false);
        WaveParameters.set(post);
        Tensor src = wave(80, 0.61, true, 5, 2, 8).requiresGrad_(true);
        Tensor tgt = wave(48, 0.37, false, 3, 2, 8).requiresGrad_(true);
        matches("post-norm, causal target", post, post.forward(src, tgt, null, Transformer.generateSquareSubsequentMask(3), null, null, null, null),
                null, List.of(src, tgt), new int[] {3, 2, 8}, 0.11496448516845703, -0.1654835194349289, -0.01521756500005722, 2.8125156345777214);
        List<String> keys = List.copyOf(post.namedParameters().keySet());
        assertEquals(64, keys.size());
        assertEquals(List.of("encoder.layers.0.self_attn.in_proj_weight", "encoder.layers.0.self_attn.in_proj_bias"), keys.subList(0, 2));
        assertEquals(List.of("decoder.norm.weight", "decoder.norm.bias"), keys.subList(62, 64));
        Transformer pre = new Transformer(8, 2, 1, 2, 16, 0, "gelu", 1e-5, true, true);
        WaveParameters.set(pre);
        Tensor src2 = wave(80, 0.61, true, 2, 5, 8).requiresGrad_(true);
        Tensor tgt2 = wave(48, 0.37, false, 2, 3, 8).requiresGrad_(true);
        Tensor padding = Tensor.fromArray(new float[] {0, 0, 0, 0, 1, 0, 0, 0, 0, 0}, 2, 5);
        matches("pre-norm, gelu, batch first, padded source", pre, pre.forward(src2, tgt2, null, null, null, padding, null, padding), null,
                List.of(src2, tgt2), new int[] {2, 3, 8}, 7.042548656463623, 0.5192130208015442, -0.38199595361948013, 3.300634432816878);
        // Xavier's uniform bound for linear1 (16 × 8) is √(6 / 24) = 0.5; the layers no longer start equal; biases keep their own init.
        Transformer fresh = new Transformer(8, 2, 2, 2, 16, 0.1, "relu", 1e-5, false, false);
        Tensor w0 = fresh.namedParameters().get("encoder.layers.0.linear1.weight");
        Tensor w1 = fresh.namedParameters().get("encoder.layers.1.linear1.weight");
        assertTrue(w0.abs().max().item() <= 0.5 && w0.abs().max().item() > 0.4, "xavier-uniform weights");
        assertTrue(w0.sub(w1).abs().max().item() > 0.1, "each layer drawn on its own");
        assertMessage(() -> post.forward(src, wave(72, 0.37, false, 3, 3, 8)), "Transformer: the batch number of src and tgt must be equal (dim 1)");
        assertMessage(() -> post.forward(src, wave(36, 0.37, false, 3, 2, 6)), "Transformer: the feature number of src and tgt must be equal to d_model 8");
        assertMessage(() -> post.forward(src), "Transformer: needs the source and the target");
    }

    @Test
    void masksShapesGradientsAndErrors() {
        assertClose("causal mask", MultiheadAttention.causalMask(3), Tensor.fromArray(new float[] {0, Float.NEGATIVE_INFINITY,
            Float.NEGATIVE_INFINITY, 0, 0, Float.NEGATIVE_INFINITY, 0, 0, 0}, 3, 3), 0);
        MultiheadAttention mha = new MultiheadAttention(4, 2);
        Tensor x = Tensor.randn(3, 4);
        MultiheadAttention.Result r = mha.forward(x, x, x, null, null, true);
        assertArrayEquals(new int[] {3, 4}, r.output().shape(), "unbatched");
        assertArrayEquals(new int[] {3, 3}, r.weights().shape());
        assertClose("unbatched is the batch of one", r.output(), mha.forward(x.unsqueeze(1)).squeeze(1), 1e-6);
        check(in -> mha.forward(in[0], in[1], in[1], null, MultiheadAttention.causalMask(2), false).output(), Tensor.randn(2, 1, 4),
                Tensor.randn(2, 1, 4));
        assertMessage(() -> new MultiheadAttention(6, 4), "MultiheadAttention: embed_dim must be divisible by num_heads, got 6 and 4");
        assertMessage(() -> mha.forward(Tensor.randn(3, 2, 5)), "MultiheadAttention: query, key and value must have widths 4, 4 and 4");
        assertMessage(() -> mha.forward(Tensor.randn(3, 2, 4), Tensor.randn(3, 2, 4), Tensor.randn(3, 2, 4), Tensor.zeros(2, 4), null, false),
                "MultiheadAttention: key_padding_mask must be (2, 3) (nonzero = ignore), got (2, 4)");
        assertMessage(() -> mha.forward(Tensor.randn(3, 2, 4), Tensor.randn(3, 2, 4), Tensor.randn(3, 2, 4), null, Tensor.zeros(3, 2), false),
                "MultiheadAttention: attn_mask must be (3, 3) or (4, 3, 3)");
        // An int64 attn_mask is PyTorch's bool mask: nonzero blocks, as -inf in the float form.
        Tensor y = Tensor.randn(3, 2, 4);
        Tensor blocked = Tensor.ones(3, 3).triu(1).to(dev.cortado.tensor.DType.INT64);
        assertClose("int64 mask as bool", mha.forward(y, y, y, null, blocked, true).output(),
                mha.forward(y, y, y, null, MultiheadAttention.causalMask(3), true).output(), 1e-6);
        TransformerEncoder clones = new TransformerEncoder(() -> new TransformerEncoderLayer(4, 2, 8, 0, "relu", 1e-5, false, false), 3);
        assertClose("layers start as copies of the first, as PyTorch's deep copies", clones.layers.children().get(2).namedParameters().get("linear1.weight"),
                clones.layers.children().get(0).namedParameters().get("linear1.weight"), 0);
        assertMessage(() -> new TransformerEncoderLayer(8, 2, 16, 0, "tanh", 1e-5, false, false),
                "TransformerEncoderLayer: activation should be relu/gelu, not tanh");
    }

    @Test
    void scaledDotProductAttentionIsTheSoftmaxOfScaledScores() {
        Tensor q = Tensor.randn(2, 3, 4, 8);
        Tensor k = Tensor.randn(2, 3, 5, 8);
        Tensor v = Tensor.randn(2, 3, 5, 6);
        Tensor want = q.matmul(k.transpose(-2, -1)).div(Math.sqrt(8)).softmax(-1).matmul(v);
        assertClose("default scale 1/sqrt(E)", F.scaledDotProductAttention(q, k, v, null, 0, false, Double.NaN), want, 1e-5);
        Tensor causal = F.scaledDotProductAttention(q, k, v, null, 0, true, 0.5);
        Tensor first = q.narrow(2, 0, 1).matmul(k.narrow(2, 0, 1).transpose(-2, -1)).softmax(-1).matmul(v.narrow(2, 0, 1));
        assertClose("the first query sees only the first key", causal.narrow(2, 0, 1), first, 1e-6);
        Tensor mask = MultiheadAttention.causalMask(4).narrow(1, 0, 4);
        Tensor square = F.scaledDotProductAttention(q, k.narrow(2, 0, 4), v.narrow(2, 0, 4), mask, 0, false, 0.5);
        assertClose("is_causal is the causal mask", F.scaledDotProductAttention(q, k.narrow(2, 0, 4), v.narrow(2, 0, 4), null, 0, true, 0.5),
                square, 1e-6);
        check(in -> F.scaledDotProductAttention(in[0], in[1], in[2], null, 0, true, Double.NaN), Tensor.randn(2, 3, 4), Tensor.randn(2, 3, 4),
                Tensor.randn(2, 3, 2));
        // Its int64 mask is PyTorch's bool mask for this function: nonzero (True) takes part.
        Tensor allowed = Tensor.ones(4, 4).tril(0).to(dev.cortado.tensor.DType.INT64);
        assertClose("int64 mask, True takes part", F.scaledDotProductAttention(q, k.narrow(2, 0, 4), v.narrow(2, 0, 4), allowed, 0, false, 0.5),
                square, 1e-6);
        assertMessage(() -> F.scaledDotProductAttention(q, k, v, mask, 0, true, Double.NaN), "scaled_dot_product_attention: give either attn_mask or is_causal");
        assertMessage(() -> F.scaledDotProductAttention(q, Tensor.randn(2, 3, 5, 7), v, null, 0, false, Double.NaN),
                "scaled_dot_product_attention: expected query (..., L, E), key (..., S, E) and value (..., S, Ev)");
    }
}
