package dev.cortado.optim;

import dev.cortado.io.SafeTensors;
import dev.cortado.tensor.Tensor;
import dev.cortado.testing.OnReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

import static dev.cortado.testing.Inputs.assertClose;
import static dev.cortado.testing.Inputs.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Update rules against PyTorch 1.13: five steps on loss = Σ c·p² + Σ p from p = (1, -2, 3), c = (1, 2, 3). */
class OptimizerTest extends OnReference {
    /** p = (1, -2, 3), a leaf. */
    static Tensor param() {
        return Tensor.tensor(new float[] {1, -2, 3}).requiresGrad_(true);
    }

    /** One step on loss = Σ c·p² + Σ p, c = (1, 2, 3). */
    static void lossStep(Optimizer opt, Tensor p) {
        opt.zeroGrad();
        p.mul(p).mul(Tensor.tensor(new float[] {1, 2, 3})).sum().add(p.sum()).backward();
        opt.step();
    }

    private static Tensor run(Function<List<Tensor>, Optimizer> make, int steps) {
        Tensor p = param();
        Optimizer opt = make.apply(List.of(p));
        for (int i = 0; i < steps; i++) {
            lossStep(opt, p);
        }
        return p.detach();
    }

    private static void expect(String what, Function<List<Tensor>, Optimizer> make, float... expected) {
        assertClose(what, run(make, 5), Tensor.tensor(expected), 2e-6);
    }

    @Test
    void sgdVariantsMatchPyTorch() {
        expect("sgd", ps -> new SGD(ps, 0.1), -0.008480014f, -0.38608f, -0.13424f);
        expect("sgd momentum dampening wd", ps -> new SGD(ps, 0.1, 0.9, 0.1, 0.01, false), -1.302332f, 1.10325f, -1.315938f);
        expect("sgd nesterov", ps -> new SGD(ps, 0.05, 0.9, 0, 1e-4, true), -0.6568917f, 0.4775203f, -1.26817f);
    }

    @Test
    void adamVariantsMatchPyTorch() {
        expect("adam", ps -> new Adam(ps, 0.1), 0.5043581f, -1.503527f, 2.501667f);
        expect("adam wd amsgrad", ps -> new Adam(ps, 0.1, 0.8, 0.99, 1e-6, 0.1, true), 0.5077539f, -1.506239f, 2.503127f);
        expect("adamw", ps -> new AdamW(ps, 0.1, 0.9, 0.999, 1e-8, 0.1, false), 0.4657661f, -1.416314f, 2.365121f);
    }

    @Test
    void rmspropAndAdagradMatchPyTorch() {
        expect("rmsprop", ps -> new RMSprop(ps, 0.01), 0.6890254f, -1.686986f, 2.6817f);
        expect("rmsprop centered momentum wd", ps -> new RMSprop(ps, 0.01, 0.9, 1e-6, 0.1, 0.8, true), 0.7058174f, -1.704774f, 2.702397f);
        expect("rmsprop momentum", ps -> new RMSprop(ps, 0.05, 0.99, 1e-8, 0, 0.5, false), -0.7089549f, -0.1146886f, 0.6670663f);
        expect("adagrad", ps -> new Adagrad(ps, 0.1), 0.6902972f, -1.688263f, 2.682986f);
        expect("adagrad lr_decay wd initial accumulator", ps -> new Adagrad(ps, 0.1, 0.05, 0.1, 0.5, 1e-6), 0.7151607f, -1.70984f,
                2.704742f);
    }

    @Test
    void adadeltaAndRpropMatchPyTorch() {
        expect("adadelta", Adadelta::new, 0.9836098551750183f, -1.9836037158966064f, 2.9835872650146484f);
        expect("adadelta lr rho eps wd", ps -> new Adadelta(ps, 0.5, 0.8, 1e-4, 0.1), 0.9399747252464294f, -1.939884901046753f,
                2.9396779537200928f);
        expect("rprop", ps -> new Rprop(ps, 0.01), 0.9255840182304382f, -1.925584077835083f, 2.925583839416504f);
        // Steps that overshoot: signs flip, steps shrink, and flipped elements sit one step out.
        for (int[] steps : new int[][] {{5}, {7}, {9}}) {
            float[][] want = {{}, {}, {}, {}, {}, {-0.4169001281261444f, 0.7770000696182251f, -0.877000093460083f}, {},
                {-0.4949301481246948f, -0.11399999260902405f, -0.5470000505447388f}, {},
                {-0.6275811791419983f, -1.0677001476287842f, 0.013999998569488525f}};
            assertClose("rprop, " + steps[0] + " steps", run(ps -> new Rprop(ps, 0.3, 0.3, 1.7, 0.01, 1.1), steps[0]),
                    Tensor.tensor(want[steps[0]]), 2e-6);
        }
        assertMessage(() -> new Adadelta(List.of(param()), 1, 1.5, 1e-6, 0), "Adadelta: rho must be in [0, 1], got 1.5");
        assertMessage(() -> new Rprop(List.of(param()), 0.01, 1.2, 0.5, 1e-6, 50), "Rprop: etas must satisfy 0 < etaminus < 1 < etaplus");
        assertMessage(() -> new Rprop(List.of(param()), 0.01, 0.5, 1.2, 1, 0.5), "Rprop: step_sizes must satisfy min <= max");
    }

    @Test
    void adamaxNadamAndRadamMatchPyTorch() {
        expect("adamax", ps -> new Adamax(ps, 0.1), 0.53448f, -1.529521f, 2.516029f);
        expect("adamax wd", ps -> new Adamax(ps, 0.05, 0.8, 0.99, 1e-6, 0.1), 0.7551532f, -1.753539f, 2.74972f);
        // PyTorch 2's NAdam (1.13 gives 0.614931, -1.612147, 2.604995 from its doubled mu): replayed
        // in Python with 1.13's tensors, a replay that gives 1.13's numbers with its formula.
        expect("nadam", ps -> new NAdam(ps, 0.1), 0.6133215f, -1.610518f, 2.60332f);
        expect("nadam wd momentum_decay", ps -> new NAdam(ps, 0.05, 0.8, 0.99, 1e-6, 0.1, 0.01), 0.7786809f, -1.777778f, 2.775713f);
        expect("radam, unrectified steps only", ps -> new RAdam(ps, 0.1), -0.1975281f, 0.1930177f, -1.579133f);
        // With beta2 0.9 rho_t passes 5 at step 6: the rectified, adaptive steps run too.
        assertClose("radam, rectified", run(ps -> new RAdam(ps, 0.1, 0.9, 0.9, 1e-8, 0.1), 10),
                Tensor.tensor(new float[] {-0.375999f, 0.2332188f, -1.513834f}), 2e-6);
        assertMessage(() -> new NAdam(List.of(param()), 0.1, 1.0, 0.999, 1e-8, 0, 4e-3), "NAdam: betas must be in [0, 1)");
    }

    @Test
    void asgdMatchesPyTorch() {
        expect("asgd", ps -> new ASGD(ps, 0.1), -0.008484735153615475f, -0.3860696852207184f, -0.1342376470565796f);
        expect("asgd lambd alpha t0 wd", ps -> new ASGD(ps, 0.05, 0.01, 0.75, 2, 0.1), 0.37051162123680115f, -0.7999632954597473f,
                0.34833061695098877f);
        // Averaging from the first step (t0 = 0): the mean of the iterates differs from the last one.
        Tensor p = param();
        ASGD opt = new ASGD(List.of(p), 0.1, 0.5, 0.5, 0, 0);
        assertClose("asgd before a step", opt.average(p), p.detach(), 0);
        for (int i = 0; i < 5; i++) {
            lossStep(opt, p);
        }
        assertClose("asgd t0=0", p.detach(), Tensor.tensor(new float[] {-0.0421585775911808f, -0.32928797602653503f, -0.12926405668258667f}),
                2e-6);
        assertClose("asgd t0=0 average", opt.average(p), Tensor.tensor(new float[] {0.15498220920562744f, -0.5097854733467102f,
            0.006692737340927124f}), 2e-6);
        assertEquals(0.08944272249937057, opt.stateDict().tensors().get("state.0.eta").item(), 1e-9);
        assertMessage(() -> opt.average(param()), "ASGD.average", "not one of this optimizer's parameters");
    }

    /** The lr after each of the metric's steps. */
    private static double[] plateau(double[] metrics, java.util.function.Function<Optimizer, ReduceLROnPlateau> make) {
        SGD opt = new SGD(List.of(Tensor.zeros(1).requiresGrad_(true)), 1.0);
        ReduceLROnPlateau s = make.apply(opt);
        double[] lrs = new double[metrics.length];
        for (int i = 0; i < metrics.length; i++) {
            s.step(metrics[i]);
            lrs[i] = opt.paramGroups().get(0).lr();
        }
        return lrs;
    }

    @Test
    void reduceLROnPlateauMatchesPyTorch() {
        double[] falling = {10, 9, 8.95, 8.93, 8.92, 8.91, 8.9, 8.9, 8.9, 8.9, 8.9, 8.9, 8.9, 8.9, 8.9, 8.9, 8.9, 8.9};
        assertArrayEquals(new double[] {1.0, 1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25, 0.25, 0.125, 0.125, 0.125, 0.125,
                0.1}, plateau(falling, o -> new ReduceLROnPlateau(o, "min", 0.5, 2, 0.01, "rel", 1, 0.1, 1e-8)), 0);
        double[] rising = {1, 2, 2.4, 2.6, 3.2, 3.1, 3.3, 3.0};
        assertArrayEquals(new double[] {1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.1, 0.1},
                plateau(rising, o -> new ReduceLROnPlateau(o, "max", 0.1, 1, 0.5, "abs", 0, 0, 1e-8)), 1e-15);
        assertArrayEquals(new double[] {0.5, 0.25, 0.125, 0.0625}, lrsOf(o -> new ExponentialLR(o, 0.5), 4), 0);
        SGD opt = new SGD(List.of(Tensor.zeros(1).requiresGrad_(true)), 1.0);
        ReduceLROnPlateau a = new ReduceLROnPlateau(opt, "min", 0.5, 1, 0, "abs", 0, 0, 1e-8);
        a.step(3);
        a.step(4);
        ReduceLROnPlateau b = new ReduceLROnPlateau(opt, "min", 0.5, 1, 0, "abs", 0, 0, 1e-8);
        b.loadStateDict(a.stateDict());
        b.step(5);
        assertEquals(0.5, opt.paramGroups().get(0).lr(), 0, "the resumed scheduler remembers the best metric and the bad epoch");
    }

    /** The lr after each of n scheduler steps from lr 1. */
    private static double[] lrsOf(java.util.function.Function<Optimizer, LRScheduler> make, int n) {
        SGD opt = new SGD(List.of(Tensor.zeros(1).requiresGrad_(true)), 1.0);
        LRScheduler s = make.apply(opt);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            s.step();
            out[i] = opt.paramGroups().get(0).lr();
        }
        return out;
    }

    @Test
    void parameterGroupsHaveTheirOwnLearningRates() {
        Tensor a = param();
        Tensor b = param();
        SGD opt = SGD.forGroups(List.of(ParamGroup.of(List.of(a)).set("lr", 0.01), ParamGroup.of(List.of(b))), 0.1, 0, 0, 0, false);
        lossStep(opt, a);
        lossStep(opt, b);
        // a moved by 0.01·grad once (b's step left a alone: its grad was cleared), b by 0.1·grad.
        assertClose("a", a.detach(), Tensor.tensor(new float[] {1 - 0.01f * 3, -2 - 0.01f * -7, 3 - 0.01f * 19}), 1e-6);
        assertClose("b", b.detach(), Tensor.tensor(new float[] {1 - 0.3f, -2 + 0.7f, 3 - 1.9f}), 1e-6);
        assertEquals(0.01, opt.paramGroups().get(0).lr());
    }

    @Test
    void parametersWithoutGradientsAreLeftAlone() {
        Tensor p = param();
        Tensor frozen = param();
        Adam opt = new Adam(List.of(p, frozen), 0.1);
        lossStep(opt, p);
        assertClose("frozen", frozen.detach(), Tensor.tensor(new float[] {1, -2, 3}), 0);
    }

    @Test
    void stateDictResumesExactly(@TempDir Path dir) throws Exception {
        Tensor straight = run(ps -> new Adam(ps, 0.1, 0.8, 0.99, 1e-6, 0.1, true), 5);
        Tensor p = param();
        Adam first = new Adam(List.of(p), 0.1, 0.8, 0.99, 1e-6, 0.1, true);
        for (int i = 0; i < 3; i++) {
            lossStep(first, p);
        }
        first.save(dir.resolve("adam.safetensors"));
        Adam second = new Adam(List.of(p), 0.5);
        second.load(dir.resolve("adam.safetensors"));
        assertEquals(0.1, second.paramGroups().get(0).lr());
        for (int i = 0; i < 2; i++) {
            lossStep(second, p);
        }
        // The reference backend computes in double; the file holds float32, hence the tiny tolerance.
        assertClose("resumed", p.detach(), straight, 1e-8);
        SafeTensors.Contents sd = second.stateDict();
        assertTrue(sd.tensors().keySet().containsAll(List.of("state.0.exp_avg", "state.0.exp_avg_sq", "state.0.max_exp_avg_sq",
                "state.0.step")), sd.tensors().keySet().toString());
        assertEquals(5.0, sd.tensors().get("state.0.step").item());
    }

    @Test
    void momentumBufferRoundTrips() {
        Tensor p = param();
        SGD opt = new SGD(List.of(p), 0.1, 0.9);
        lossStep(opt, p);
        SGD copy = new SGD(List.of(p), 0.1, 0.9);
        copy.loadStateDict(opt.stateDict());
        assertClose("buffer", copy.stateDict().tensors().get("state.0.momentum_buffer"),
                opt.stateDict().tensors().get("state.0.momentum_buffer"), 0);
        assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(param(), param()), 0.1).loadStateDict(
                new SGD(List.of(p), 0.1).stateDict().tensors().isEmpty() ? new SafeTensors.Contents(
                        java.util.Map.of("state.5.momentum_buffer", Tensor.zeros(3)), java.util.Map.of()) : null));
    }

    private static double[] lrs(Function<Optimizer, LRScheduler> make, int n) {
        Tensor p = Tensor.zeros(1).requiresGrad_(true);
        SGD opt = new SGD(List.of(p), 0.1);
        LRScheduler s = make.apply(opt);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = opt.paramGroups().get(0).lr();
            opt.step();
            s.step();
        }
        return out;
    }

    @Test
    void schedulersMatchPyTorch() {
        assertArrayEquals(new double[] {0.1, 0.1, 0.01, 0.01, 0.01, 0.001, 0.001, 0.001},
                lrs(o -> new MultiStepLR(o, new int[] {2, 5}, 0.1), 8), 1e-12);
        assertArrayEquals(new double[] {0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025}, lrs(o -> new StepLR(o, 3, 0.5), 8), 1e-12);
        assertArrayEquals(new double[] {0.1, 0.09140576, 0.06890576, 0.04109424, 0.01859424, 0.01, 0.01859424, 0.04109424,
            0.06890576, 0.09140576, 0.1, 0.09140576}, lrs(o -> new CosineAnnealingLR(o, 5, 0.01), 12), 1e-8);
        assertArrayEquals(new double[] {0.1, 0.09, 0.081, 0.0729, 0.06561, 0.059049, 0.0531441, 0.04782969},
                lrs(o -> new LambdaLR(o, e -> Math.pow(0.9, e)), 8), 1e-12);
    }

    @Test
    void schedulerStateDictResumes() {
        Tensor p = Tensor.zeros(1).requiresGrad_(true);
        SGD opt = new SGD(List.of(p), 0.1);
        MultiStepLR s = new MultiStepLR(opt, new int[] {2, 4}, 0.1);
        for (int i = 0; i < 3; i++) {
            s.step();
        }
        SGD opt2 = new SGD(List.of(p), 0.1);
        MultiStepLR s2 = new MultiStepLR(opt2, new int[] {2, 4}, 0.1);
        s2.loadStateDict(s.stateDict());
        assertEquals(s.getLastLr(), s2.getLastLr());
        s.step();
        s2.step();
        assertEquals(s.getLastLr().get(0), s2.getLastLr().get(0), 1e-15);
        assertEquals(1e-3, s2.getLastLr().get(0), 1e-15);
    }

    @Test
    void badSettingsAreRejected() {
        assertMessage(() -> new SGD(List.of(param()), -0.1), "SGD", "lr -0.1");
        assertMessage(() -> new SGD(List.of(param()), 0.1, 0, 0, 0, true), "Nesterov", "momentum");
        assertMessage(() -> new SGD(List.of(), 0.1), "empty parameter list");
        assertMessage(() -> new Adam(List.of(param()), 0.1, 1.0, 0.999, 1e-8, 0, false), "betas");
        Tensor p = param();
        assertMessage(() -> new SGD(List.of(p, p), 0.1), "more than one group");
        assertMessage(() -> new SGD(List.of(p.mul(2)), 0.1), "leaf");
        assertMessage(() -> new StepLR(new SGD(List.of(param()), 0.1), 0, 0.1), "step_size");
        assertMessage(() -> new RMSprop(List.of(param()), 0.01, 0.99, -1, 0, 0, false), "RMSprop", "eps -1");
        assertMessage(() -> new Adagrad(List.of(param()), 0.1, -0.5, 0, 0, 1e-10), "Adagrad", "lr_decay -0.5");
        SGD sgd = new SGD(List.of(param()), 0.1);
        assertMessage(() -> new ReduceLROnPlateau(sgd, "mean", 0.1, 10, 1e-4, "rel", 0, 0, 1e-8), "ReduceLROnPlateau: mode");
        assertMessage(() -> new ReduceLROnPlateau(sgd, "min", 1.0, 10, 1e-4, "rel", 0, 0, 1e-8), "ReduceLROnPlateau: factor");
        assertMessage(() -> new ReduceLROnPlateau(sgd, "min", 0.1, 10, 1e-4, "relative", 0, 0, 1e-8), "threshold_mode");
        assertMessage(() -> new ReduceLROnPlateau(sgd, "min", 0.1, -1, 1e-4, "rel", 0, 0, 1e-8), "patience");
    }
}
