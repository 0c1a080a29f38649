package dev.cortado.optim;

import dev.cortado.io.TorchSerialization;
import dev.cortado.tensor.Device;
import dev.cortado.tensor.Tensor;
import dev.cortado.testing.OnReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;

import static dev.cortado.testing.Inputs.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Schedules that step from the current lr, as PyTorch's: two schedulers on one optimizer, a
 * ChainedScheduler, an lr set by hand, SequentialLR's parts and SWALR after another schedule,
 * against the sequences PyTorch 1.13 prints (lr 1, or 0.1, one step per entry after the first).
 */
class ChainedSchedulersTest extends OnReference {
    private static SGD sgd(double lr) {
        return new SGD(List.of(Tensor.zeros(1).requiresGrad_(true)), lr);
    }

    /** The lr after construction and after each of n rounds of stepping every scheduler in order; {@code between} runs after each round. */
    private static double[] lrs(double lr, Function<Optimizer, List<LRScheduler>> make, int n, BiConsumer<Integer, Optimizer> between) {
        SGD opt = sgd(lr);
        List<LRScheduler> schedulers = make.apply(opt);
        double[] out = new double[n + 1];
        out[0] = opt.paramGroups().getFirst().lr();
        for (int i = 0; i < n; i++) {
            opt.step();
            schedulers.forEach(LRScheduler::step);
            between.accept(i, opt);
            out[i + 1] = opt.paramGroups().getFirst().lr();
        }
        return out;
    }

    private static double[] lrs(double lr, Function<Optimizer, List<LRScheduler>> make, int n) {
        return lrs(lr, make, n, (i, o) -> { });
    }

    @Test
    void twoSchedulersOnOneOptimizerCompose() {
        assertArrayEquals(new double[] {0.1, 0.29250000000000004, 0.44550000000000006, 0.5649750000000001, 0.6561000000000001,
            0.5904900000000002, 0.5314410000000002}, lrs(1, o -> List.of(new LinearLR(o, 0.1, 1.0, 4), new ExponentialLR(o, 0.9)), 6), 1e-15);
        assertArrayEquals(new double[] {1.0, 0.28125, 0.0625, 0.0078125, 0.0, 0.0, 0.0},
                lrs(1, o -> List.of(new PolynomialLR(o, 4, 2.0), new ExponentialLR(o, 0.5)), 6), 1e-15);
        assertArrayEquals(new double[] {1.0, 0.6150000000000001, 0.29925, 0.045000000000000005, 0.045000000000000005, 0.045000000000000005},
                lrs(1, o -> List.of(new SWALR(o, 0.05, 3, OneCycleLR.Anneal.LINEAR), new ExponentialLR(o, 0.9)), 5), 1e-15);
    }

    @Test
    void anLrSetByHandCarriesOn() {
        assertArrayEquals(new double[] {1.0, 1.0, 0.5, 0.3, 0.15, 0.15, 0.075}, lrs(1, o -> List.of(new StepLR(o, 2, 0.5)), 6, (i, o) -> {
            if (i == 2) {
                o.paramGroups().getFirst().setLr(0.3);
            }
        }), 1e-15);
    }

    @Test
    void chainedSchedulerStepsEachInTurn() {
        // ConstantLR's undoing at step 3 multiplies the cosine's lr by 2, as in PyTorch.
        assertArrayEquals(new double[] {0.5, 0.46180339887498956, 0.3618033988749896, 0.42917960675006317, 0.19098300562505263, 0.1,
            0.18594235253127367, 0.41094235253127387, 0.6890576474687268, 0.9140576474687271, 1.0000000000000009, 0.9140576474687274,
            0.689057647468727}, lrs(1, o -> List.of(new ChainedScheduler(List.of(new ConstantLR(o, 0.5, 3), new CosineAnnealingLR(o, 5, 0.1)))),
                12), 1e-14);
        // A milestone given twice multiplies by gamma twice.
        assertArrayEquals(new double[] {0.025, 0.05, 0.0075000000000000015, 0.010000000000000002, 0.00010000000000000005,
            0.00010000000000000005, 0.00010000000000000005}, lrs(0.1, o -> List.of(new ChainedScheduler(List.of(new LinearLR(o, 0.25, 1.0, 3),
                new MultiStepLR(o, new int[] {2, 4, 4}, 0.1)))), 6), 1e-15);
    }

    @Test
    void sequentialPartsStepFromTheLrTheyFind() {
        assertArrayEquals(new double[] {0.1, 0.39999999999999997, 0.7, 1.0, 0.8535533905932737, 0.5, 0.14644660940672627, 0.0,
            0.1464466094067262, 0.5000000000000001}, lrs(1, o -> List.of(new SequentialLR(o, List.of(new LinearLR(o, 0.1, 1.0, 3),
                new CosineAnnealingLR(o, 4, 0.0)), new int[] {3})), 9), 1e-15);
        // MultiplicativeLR keeps the lr it finds at its milestone.
        assertArrayEquals(new double[] {0.5, 0.5, 1.0, 1.0, 0.8, 0.6400000000000001, 0.5120000000000001}, lrs(1, o -> List.of(
                new SequentialLR(o, List.of(new ConstantLR(o, 0.5, 2), new MultiplicativeLR(o, e -> 0.8)), new int[] {3})), 6), 1e-15);
    }

    @Test
    void swalrTakesOverFromACosineSchedule() {
        SGD opt = sgd(1);
        CosineAnnealingLR cosine = new CosineAnnealingLR(opt, 10, 0);
        SWALR swa = new SWALR(opt, 0.05, 3, OneCycleLR.Anneal.COS);
        double[] out = new double[9];
        out[0] = opt.paramGroups().getFirst().lr();
        for (int e = 0; e < 8; e++) {
            opt.step();
            (e >= 4 ? swa : cosine).step();
            out[e + 1] = opt.paramGroups().getFirst().lr();
        }
        assertArrayEquals(new double[] {1.0, 0.9755282581475768, 0.9045084971874737, 0.7938926261462366, 0.6545084971874737,
            0.5033813728906052, 0.2011271242968685, 0.05, 0.05}, out, 1e-15);
    }

    /** The chain's state in PyTorch's form, and a resume from it in both forms that continues the chain. */
    @Test
    void chainedStateDictsResume(@TempDir Path dir) throws IOException {
        SGD opt = sgd(1);
        ChainedScheduler chain = new ChainedScheduler(List.of(new ConstantLR(opt, 0.5, 3), new ExponentialLR(opt, 0.9)));
        for (int i = 0; i < 2; i++) {
            chain.step();
        }
        assertEquals(0.405, opt.paramGroups().getFirst().lr(), 1e-15);
        Map<String, Object> torch = chain.torchStateDict();
        Map<?, ?> exponential = (Map<?, ?>) ((List<?>) torch.get("_schedulers")).get(1);
        assertEquals(2L, exponential.get("last_epoch"));
        assertEquals(List.of(0.405), exponential.get("_last_lr"));
        TorchSerialization.save(torch, dir.resolve("chain.pt"));
        Map<?, ?> loaded = (Map<?, ?>) TorchSerialization.load(dir.resolve("chain.pt"), Device.CPU);
        chain.step();
        double third = opt.paramGroups().getFirst().lr();
        assertEquals(0.405 * 2 * 0.9, third, 1e-15);
        for (boolean pytorchForm : new boolean[] {true, false}) {
            SGD fresh = sgd(1);
            ChainedScheduler resumed = new ChainedScheduler(List.of(new ConstantLR(fresh, 0.5, 3), new ExponentialLR(fresh, 0.9)));
            if (pytorchForm) {
                resumed.loadTorchStateDict(loaded);
            } else {
                SGD again = sgd(1);
                ChainedScheduler twoSteps = new ChainedScheduler(List.of(new ConstantLR(again, 0.5, 3), new ExponentialLR(again, 0.9)));
                twoSteps.step();
                twoSteps.step();
                resumed.loadStateDict(twoSteps.stateDict());
            }
            assertEquals(0.405, fresh.paramGroups().getFirst().lr(), 1e-15);
            assertEquals(2, resumed.lastEpoch());
            resumed.step();
            assertEquals(third, fresh.paramGroups().getFirst().lr(), 1e-15);
        }
    }

    @Test
    void badChainsAreNamed() {
        SGD a = sgd(1);
        SGD b = sgd(1);
        assertMessage(() -> new ChainedScheduler(List.of()), "ChainedScheduler: expects at least one scheduler");
        assertMessage(() -> new ChainedScheduler(List.of(new StepLR(a, 2, 0.5), new StepLR(b, 2, 0.5))), "scheduler 1 (StepLR)",
                "different optimizer");
        ChainedScheduler chain = new ChainedScheduler(List.of(new StepLR(a, 2, 0.5)));
        assertMessage(() -> chain.loadStateDict(Map.of("3.last_epoch", "1")), "unexpected key \"3.last_epoch\"", "chain of 1");
        assertMessage(() -> chain.loadTorchStateDict(Map.of("last_epoch", 1L)), "\"_schedulers\" list of 1");
        assertMessage(() -> new StepLR(a, 2, 0.5).loadStateDict(Map.of("last_epoch", "1", "base_lrs", "0.1,0.2")), "StepLR.loadStateDict",
                "expected 1 learning rates", "0.1,0.2");
        assertMessage(() -> new StepLR(a, 2, 0.5).loadStateDict(Map.of("last_epoch", "1", "base_lrs", "fast")), "learning rates must be numbers");
        assertMessage(() -> new StepLR(a, 2, 0.5).loadStateDict(Map.of("last_epoch", "one", "base_lrs", "0.1")), "last_epoch must be a whole number");
    }

    /** get_last_lr is each scheduler's own: the lrs right after its step, whatever stepped or set them since. */
    @Test
    void lastLrIsWhatEachSchedulerSet() {
        SGD opt = new SGD(List.of(Tensor.zeros(1).requiresGrad_(true)), 0.1, 0);
        StepLR halve = new StepLR(opt, 1, 0.5);
        ExponentialLR decay = new ExponentialLR(opt, 0.9);
        assertEquals(List.of(0.1), halve.getLastLr());
        halve.step();
        decay.step();
        // PyTorch 1.13: [0.05] and [0.045000000000000005].
        assertEquals(0.05, halve.getLastLr().get(0), 1e-15);
        assertEquals(0.045, decay.getLastLr().get(0), 1e-15);
        opt.paramGroups().get(0).setLr(0.5);
        assertEquals(0.045, decay.getLastLr().get(0), 1e-15, "an lr set by hand is not the scheduler's");
        ChainedScheduler chain = new ChainedScheduler(List.of(new StepLR(opt, 1, 0.5), new ExponentialLR(opt, 0.9)));
        chain.step();
        assertEquals(0.225, chain.getLastLr().get(0), 1e-15);
    }
}
