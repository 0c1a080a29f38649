package dev.cortado.optim;

import dev.cortado.tensor.Tensor;
import dev.cortado.testing.OnReference;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Function;

import static dev.cortado.testing.Inputs.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** Warm-up, polynomial, restart, one-cycle and sequential schedules against the sequences PyTorch 1.13 prints (lr 0.1, one step per entry). */
class SchedulersTest extends OnReference {
    /** The lr (and momentum, or Adam's beta1) after construction and after each of n steps. */
    private static double[][] run(Function<Optimizer, LRScheduler> make, int n, boolean adam) {
        Tensor p = Tensor.zeros(1).requiresGrad_(true);
        Optimizer opt = adam ? new Adam(List.of(p), 0.1, 0.9, 0.999, 1e-8, 0, false) : new SGD(List.of(p), 0.1, 0.9);
        LRScheduler s = make.apply(opt);
        String momentum = adam ? "beta1" : "momentum";
        double[][] out = new double[2][n + 1];
        for (int i = 0; i <= n; i++) {
            if (i > 0) {
                opt.step();
                s.step();
            }
            out[0][i] = opt.paramGroups().get(0).lr();
            out[1][i] = opt.paramGroups().get(0).get(momentum);
        }
        return out;
    }

    private static double[] lrs(Function<Optimizer, LRScheduler> make, int n) {
        return run(make, n, false)[0];
    }

    @Test
    void warmUpAndPolynomialSchedules() {
        assertArrayEquals(new double[] {0.025, 0.043750000000000004, 0.06250000000000001, 0.08125000000000002, 0.10000000000000002,
            0.10000000000000002, 0.10000000000000002}, lrs(o -> new LinearLR(o, 0.25, 1.0, 4), 6), 1e-15);
        assertArrayEquals(new double[] {0.05, 0.05, 0.05, 0.1, 0.1, 0.1}, lrs(o -> new ConstantLR(o, 0.5, 3), 5), 1e-15);
        assertArrayEquals(new double[] {0.1, 0.05625, 0.024999999999999998, 0.0062499999999999995, 0, 0, 0},
                lrs(o -> new PolynomialLR(o, 4, 2.0), 6), 1e-15);
    }

    @Test
    void warmRestartsLengthenEachCycleByTMult() {
        assertArrayEquals(new double[] {0.1, 0.0775, 0.032500000000000015, 0.1, 0.09397114317029975, 0.0775, 0.05500000000000001,
            0.032500000000000015, 0.01602885682970026, 0.1, 0.09846666218300808, 0.09397114317029975, 0.08681980515339464},
                lrs(o -> new CosineAnnealingWarmRestarts(o, 3, 2, 0.01), 12), 1e-15);
        assertArrayEquals(new double[] {0.1, 0.07500000000000001, 0.025000000000000012, 0.1, 0.07500000000000001, 0.025000000000000012, 0.1,
            0.07500000000000001}, lrs(o -> new CosineAnnealingWarmRestarts(o, 3, 1, 0), 7), 1e-15);
    }

    @Test
    void cyclicLrClimbsAndFallsWithItsModesScale() {
        double[][] triangular = run(o -> new CyclicLR(o, 0.01, 0.1, 3, 2, CyclicLR.Mode.TRIANGULAR, 1, true, 0.8, 0.9), 11, false);
        assertArrayEquals(new double[] {0.01, 0.039999999999999994, 0.06999999999999999, 0.09999999999999999, 0.055, 0.01, 0.04000000000000003,
            0.06999999999999999, 0.09999999999999999, 0.05500000000000005, 0.01, 0.04000000000000003}, triangular[0], 1e-15);
        assertArrayEquals(new double[] {0.9, 0.8666666666666667, 0.8333333333333334, 0.8, 0.8500000000000001, 0.9, 0.8666666666666667,
            0.8333333333333334, 0.8, 0.85, 0.9, 0.8666666666666667}, triangular[1], 1e-15);
        double[][] halving = run(o -> new CyclicLR(o, 0.01, 0.1, 2, 2, CyclicLR.Mode.TRIANGULAR2, 1, false, 0.8, 0.9), 11, false);
        assertArrayEquals(new double[] {0.01, 0.05500000000000001, 0.1, 0.05500000000000001, 0.01, 0.0325, 0.05500000000000001, 0.0325, 0.01,
            0.02125, 0.0325, 0.02125}, halving[0], 1e-15);
        double[] untouched = new double[12];
        java.util.Arrays.fill(untouched, 0.9);
        assertArrayEquals(untouched, halving[1], 0, "SGD's momentum left alone without cycle_momentum");
        // exp_range scales by gamma^step, here with Adam's beta1 as the momentum (PyTorch 2; 1.13 cycles SGD's only, with the same numbers).
        double[][] exp = run(o -> new CyclicLR(o, 0.01, 0.1, 2, 3, CyclicLR.Mode.EXP_RANGE, 0.9, true, 0.7, 0.95), 11, true);
        assertArrayEquals(new double[] {0.01, 0.0505, 0.0829, 0.05374, 0.029683, 0.01, 0.03391484500000003, 0.053046721000000005,
            0.035828032600000004, 0.021622614670000012, 0.01, 0.02412147682405002}, exp[0], 1e-15);
        assertArrayEquals(new double[] {0.95, 0.8375, 0.7475, 0.8285, 0.8953249999999999, 0.95, 0.8835698749999998, 0.8304257749999999,
            0.878255465, 0.9177149592499999, 0.95, 0.9107736754887499}, exp[1], 1e-15);
        assertArrayEquals(new double[] {0.01, 0.0325, 0.0325, 0.015625, 0.01, 0.01140625, 0.01140625, 0.0103515625, 0.01},
                lrs(o -> new CyclicLR(o, 0.01, 0.1, 2, 2, x -> Math.pow(0.5, x), false, false, 0.8, 0.9), 8), 1e-15);
        Tensor p = Tensor.zeros(1).requiresGrad_(true);
        assertMessage(() -> new CyclicLR(new Adagrad(List.of(p), 0.1), 0.01, 0.1, 2), "CyclicLR: optimizer must support momentum");
        assertMessage(() -> new CyclicLR(new SGD(List.of(p), 0.1, 0.9), 0.01, 0.1, 0), "CyclicLR: step_size_up and step_size_down must be positive");
    }

    @Test
    void swalrAnnealsFromWhereTheEarlierScheduleLeftTheLr() {
        Tensor p = Tensor.zeros(1).requiresGrad_(true);
        SGD sgd = new SGD(List.of(p), 0.5);
        CosineAnnealingLR cosine = new CosineAnnealingLR(sgd, 10, 0);
        SWALR swa = new SWALR(sgd, 0.05, 3, OneCycleLR.Anneal.COS);
        double[] got = new double[10];
        got[0] = sgd.paramGroups().get(0).lr();
        for (int e = 0; e < 9; e++) {
            sgd.step();
            if (e < 4) {
                cosine.step();
            } else {
                swa.step();
            }
            got[e + 1] = sgd.paramGroups().get(0).lr();
        }
        assertArrayEquals(new double[] {0.5, 0.4877641290737884, 0.45225424859373686, 0.3969463130731183, 0.32725424859373686,
            0.25794068644530266, 0.11931356214843425, 0.05, 0.05, 0.05}, got, 1e-15);
        // PyTorch 1.13 from lr 0.1: 0.1, 0.0875, 0.075, 0.0625, then 0.05.
        assertArrayEquals(new double[] {0.1, 0.0875, 0.075, 0.0625, 0.05, 0.05, 0.05}, lrs(o -> new SWALR(o, 0.05, 4, OneCycleLR.Anneal.LINEAR), 6),
                1e-15);
        assertArrayEquals(new double[] {0.05, 0.05, 0.05, 0.05}, lrs(o -> new SWALR(o, 0.05, 0, OneCycleLR.Anneal.LINEAR), 3), 1e-15);
        assertMessage(() -> new SWALR(sgd, 0.05, -1, OneCycleLR.Anneal.COS), "SWALR: anneal_epochs must be equal or greater than 0, got -1");
    }

    @Test
    void multiplicativeLrCompoundsItsFactors() {
        assertArrayEquals(new double[] {0.1, 0.095, 0.0855, 0.081225, 0.0731025, 0.069447375, 0.0625026375},
                lrs(o -> new MultiplicativeLR(o, e -> e % 2 == 1 ? 0.95 : 0.9), 6), 1e-15);
        Tensor p = Tensor.zeros(1).requiresGrad_(true);
        SGD sgd = new SGD(List.of(p), 0.1);
        MultiplicativeLR s = new MultiplicativeLR(sgd, e -> 0.5);
        s.step();
        s.step();
        java.util.Map<String, String> state = s.stateDict();
        s.step();
        s.loadStateDict(state);
        assertArrayEquals(new double[] {0.025}, new double[] {sgd.paramGroups().get(0).lr()}, 1e-15, "resumed at step 2, not compounded again");
    }

    @Test
    void oneCycleMovesTheLrAndTheMomentumInOppositeDirections() {
        double[][] sgd = run(o -> new OneCycleLR(o, 1.0, 10), 10, false);
        assertArrayEquals(new double[] {0.040000000000000036, 0.52, 1.0, 0.9504846320134737, 0.8117456539497631, 0.6112620219362893,
            0.38874197806371075, 0.18825834605023697, 0.049519367986526286, 4e-06, 0.04951936798652623}, sgd[0], 1e-15);
        assertArrayEquals(new double[] {0.95, 0.8999999999999999, 0.85, 0.854951556604879, 0.8688255099070633, 0.8888739533021842,
            0.9111260466978157, 0.9311744900929366, 0.945048443395121, 0.95, 0.945048443395121}, sgd[1], 1e-15);
        double[][] adam = run(o -> new OneCycleLR(o, 1.0, 10, 0.25, OneCycleLR.Anneal.LINEAR, true, 0.85, 0.95, 10, 100, true), 10, true);
        assertArrayEquals(new double[] {0.1, 0.7, 0.7, 0.09999999999999998, 0.0835, 0.067, 0.0505, 0.034, 0.0175, 0.0010000000000000009,
            -0.015500000000000014}, adam[0], 1e-15);
        assertArrayEquals(new double[] {0.95, 0.8833333333333333, 0.8833333333333333, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95},
                adam[1], 1e-15);
        assertMessage(() -> run(o -> new OneCycleLR(o, 1.0, 3), 4, false), "OneCycleLR: tried to step 5 times; the specified number of total steps is 3");
        Tensor p = Tensor.zeros(1).requiresGrad_(true);
        assertMessage(() -> new OneCycleLR(new Adagrad(List.of(p), 0.1), 1.0, 10), "OneCycleLR: optimizer must support momentum");
    }

    @Test
    void sequentialRunsEachPartFromItsOwnStepZero() {
        assertArrayEquals(new double[] {0.05, 0.07500000000000001, 0.1, 0.1, 0.08535533905932738, 0.05, 0.014644660940672627, 0.0,
            0.014644660940672622}, lrs(o -> new SequentialLR(o, List.of(new LinearLR(o, 0.5, 1.0, 2), new CosineAnnealingLR(o, 4, 0)),
                new int[] {3}), 8), 1e-15);
        assertArrayEquals(new double[] {0.010000000000000002, 0.010000000000000002, 0.1, 0.05, 0.025, 0.0125},
                lrs(o -> new SequentialLR(o, List.of(new ConstantLR(o, 0.1, 2), new ExponentialLR(o, 0.5)), new int[] {2}), 5), 1e-15);
        Tensor p = Tensor.zeros(1).requiresGrad_(true);
        SGD a = new SGD(List.of(p), 0.1);
        SGD b = new SGD(List.of(p), 0.1);
        assertMessage(() -> new SequentialLR(a, List.of(new StepLR(a, 2, 0.5), new StepLR(b, 2, 0.5)), new int[] {3}),
                "SequentialLR: scheduler 1 (StepLR) drives a different optimizer");
        assertMessage(() -> new SequentialLR(a, List.of(new StepLR(a, 2, 0.5)), new int[] {3}), "SequentialLR: expects 0 milestones for 1 schedulers");
    }

    @Test
    void badSettingsAreNamed() {
        Tensor p = Tensor.zeros(1).requiresGrad_(true);
        SGD o = new SGD(List.of(p), 0.1);
        assertMessage(() -> new LinearLR(o, 0, 1, 4), "LinearLR: start_factor must be in (0, 1]");
        assertMessage(() -> new ConstantLR(o, 2, 4), "ConstantLR: factor must be in [0, 1], got 2.0");
        assertMessage(() -> new PolynomialLR(o, 0, 1), "PolynomialLR: total_iters must be positive");
        assertMessage(() -> new CosineAnnealingWarmRestarts(o, 0, 1, 0), "CosineAnnealingWarmRestarts: T_0 must be a positive integer");
        assertMessage(() -> new OneCycleLR(o, 1, 10, 1.5, OneCycleLR.Anneal.COS, true, 0.85, 0.95, 25, 1e4, false),
                "OneCycleLR: expected a float between 0 and 1 for pct_start, got 1.5");
    }
}
