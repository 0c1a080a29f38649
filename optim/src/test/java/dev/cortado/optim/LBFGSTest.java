package dev.cortado.optim;

import dev.cortado.io.SafeTensors;
import dev.cortado.io.TorchSerialization;
import dev.cortado.tensor.Device;
import dev.cortado.tensor.Tensor;
import dev.cortado.tensor.Cortado;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static dev.cortado.testing.Inputs.assertClose;
import static dev.cortado.testing.Inputs.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * LBFGS against PyTorch 1.13 on Rosenbrock's function in a (2) plus a quartic bowl coupling a
 * (2, 2) matrix b to a: the same closure calls, iterations and history lengths, and the same
 * parameters up to float32 rounding (dot products summed in another order, amplified over tens
 * of iterations).
 */
class LBFGSTest {
    /** On the CPU backend: its float32 dot products are the ones PyTorch's CPU numbers were compared with. */
    @BeforeAll
    static void onTheCpu() {
        Cortado.setDefaultDevice(Device.CPU);
    }

    /** The two parameters at PyTorch's starting point. */
    private static List<Tensor> start() {
        return List.of(Tensor.tensor(new float[] {-1.2f, 1.0f}).requiresGrad_(true),
                Tensor.tensor(new float[][] {{0.5f, -0.3f}, {0.2f, 0.8f}}).requiresGrad_(true));
    }

    private static Tensor loss(Tensor a, Tensor b) {
        Tensor a0 = a.select(0, 0);
        Tensor rosenbrock = a0.neg().add(1).pow(2).add(a.select(0, 1).sub(a0.pow(2)).pow(2).mul(100));
        Tensor m = b.matmul(a).sub(Tensor.tensor(new float[] {1, -1}));
        return rosenbrock.add(m.pow(2).sum()).add(b.pow(4).sum().mul(0.1));
    }

    /** Runs {@code steps} steps and returns the closure calls; the parameters end where the steps left them. */
    private static int run(Optimizer opt, List<Tensor> ps, int steps) {
        int[] calls = {0};
        for (int i = 0; i < steps; i++) {
            opt.step(() -> {
                opt.zeroGrad();
                Tensor l = loss(ps.get(0), ps.get(1));
                l.backward();
                calls[0]++;
                return l;
            });
        }
        return calls[0];
    }

    private static void expect(String what, Function<List<Tensor>, LBFGS> make, int steps, int calls, int nIter, int history, double tol,
                               float[] a, float[] b) {
        List<Tensor> ps = start();
        LBFGS opt = make.apply(ps);
        assertEquals(calls, run(opt, ps, steps), what + ": closure calls");
        Map<String, Tensor> state = opt.stateDict().tensors();
        assertEquals(calls, state.get("state.0.func_evals").item(), what + ": func_evals");
        assertEquals(nIter, state.get("state.0.n_iter").item(), what + ": n_iter");
        assertEquals(history, state.get("state.0.ro").numel(), what + ": curvature pairs kept");
        assertClose(what + ": a", ps.get(0).detach(), Tensor.tensor(a), tol);
        assertClose(what + ": b", ps.get(1).detach().reshape(-1), Tensor.tensor(b), tol);
    }

    @Test
    void fixedStepsMatchPyTorch() {
        expect("defaults", LBFGS::new, 1, 20, 20, 19, 3e-4, new float[] {-0.41735440492630005f, 0.17608045041561127f},
                new float[] {-1.0057734251022339f, 0.8340424299240112f, 0.9646264314651489f, -0.6291859149932861f});
        expect("lr 0.1, three steps", ps -> new LBFGS(ps, 0.1, 20, null), 3, 60, 60, 59, 3e-4,
                new float[] {-0.39340952038764954f, 0.15701201558113098f},
                new float[] {-0.7941917181015015f, 0.6648262143135071f, 1.085580587387085f, -0.10122209042310715f});
        // A history of 3 drops the oldest pairs; 7 iterations a step, the last without an evaluation.
        expect("history 3", ps -> new LBFGS(ps, 0.5, 7, 8, 1e-7, 1e-9, 3, null), 4, 28, 28, 3, 1e-3,
                new float[] {-0.3592173159122467f, 0.12685751914978027f},
                new float[] {-0.6272727251052856f, 0.7344542145729065f, 1.0987673997879028f, -0.17700882256031036f});
    }

    @Test
    void strongWolfeLineSearchMatchesPyTorch() {
        expect("strong_wolfe", ps -> new LBFGS(ps, 1, 20, "strong_wolfe"), 2, 37, 33, 32, 1e-4,
                new float[] {-0.42666080594062805f, 0.18862153589725494f},
                new float[] {-0.9801751971244812f, 0.7463586926460266f, 0.9798584580421448f, -0.7463738322257996f});
        // Stops on the change in loss before max_iter; more calls than iterations, from the line search.
        expect("strong_wolfe, history 5", ps -> new LBFGS(ps, 1, 100, 125, 1e-7, 1e-9, 5, "strong_wolfe"), 1, 48, 38, 5, 1e-4,
                new float[] {-0.4266091287136078f, 0.18858343362808228f},
                new float[] {-0.9801579713821411f, 0.7463045120239258f, 0.9794606566429138f, -0.7467648983001709f});
        // max_eval 30 ends the step after 27 iterations.
        expect("strong_wolfe, max_eval", ps -> new LBFGS(ps, 1, 50, 30, 1e-3, 1e-9, 100, "strong_wolfe"), 1, 30, 27, 26, 1e-4,
                new float[] {-0.4196031987667084f, 0.18326987326145172f},
                new float[] {-0.989678680896759f, 0.7392204999923706f, 0.9865366220474243f, -0.7290069460868835f});
    }

    @Test
    void aStationaryPointTakesOneCallAndNoIteration() {
        Tensor p = Tensor.tensor(new float[] {1, 1}).requiresGrad_(true);
        LBFGS opt = new LBFGS(List.of(p));
        int[] calls = {0};
        Tensor l = opt.step(() -> {
            opt.zeroGrad();
            Tensor v = p.sub(1).pow(2).sum();
            v.backward();
            calls[0]++;
            return v;
        });
        assertEquals(0, l.item());
        assertEquals(1, calls[0]);
        assertEquals(0, opt.stateDict().tensors().get("state.0.n_iter").item());
        assertClose("unmoved", p.detach(), Tensor.tensor(new float[] {1, 1}), 0);
    }

    /** PyTorch saved its state two steps in (history full, t an int); two more steps here land on PyTorch's parameters. */
    @Test
    void resumesPyTorchsStateToItsNumbers(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("lbfgs_checkpoint.pt");
        try (InputStream in = LBFGSTest.class.getResourceAsStream("/torch/lbfgs_checkpoint.pt")) {
            Files.write(file, in.readAllBytes());
        }
        Map<?, ?> ck = (Map<?, ?>) TorchSerialization.load(file, Device.CPU);
        Device here = Tensor.zeros(1).device();
        List<Tensor> ps = List.of(((Tensor) ck.get("a")).to(here).requiresGrad_(true), ((Tensor) ck.get("b")).to(here).requiresGrad_(true));
        LBFGS opt = new LBFGS(ps, 0.3, 9, null);
        opt.loadTorchStateDict((Map<?, ?>) ck.get("optimizer"));
        ParamGroup g = opt.paramGroups().getFirst();
        assertEquals(List.of(1.0, 4.0, 5.0, 3.0, 1.0), List.of(g.lr(), g.get("max_iter"), g.get("max_eval"), g.get("history_size"),
                g.get("line_search_fn")));
        run(opt, ps, 2);
        assertClose("a", ps.get(0).detach(), Tensor.tensor(new float[] {-0.3601645827293396f, 0.14188627898693085f}), 1e-5);
        assertClose("b", ps.get(1).detach().reshape(-1), Tensor.tensor(new float[] {-0.8002728223800659f, 0.891234278678894f,
            1.2270461320877075f, -0.33320382237434387f}), 1e-5);
    }

    /** Two steps, a save and a load into a fresh optimizer, two more: the same numbers as four steps in one go, in both file forms. */
    @Test
    void stateDictsResumeExactly(@TempDir Path dir) throws IOException {
        Function<List<Tensor>, LBFGS> make = ps -> new LBFGS(ps, 0.8, 5, 6, 1e-7, 1e-9, 4, "strong_wolfe");
        List<Tensor> straight = start();
        run(make.apply(straight), straight, 4);
        for (String name : new String[] {"lbfgs.safetensors", "lbfgs.pt"}) {
            List<Tensor> ps = start();
            LBFGS first = make.apply(ps);
            run(first, ps, 2);
            first.save(dir.resolve(name));
            LBFGS second = new LBFGS(ps);
            second.load(dir.resolve(name));
            assertEquals(0.8, second.paramGroups().getFirst().lr());
            run(second, ps, 2);
            for (int i = 0; i < 2; i++) {
                assertClose(name + " parameter " + i, ps.get(i).detach(), straight.get(i).detach(), 0);
            }
        }
    }

    /** What PyTorch's LBFGS keeps: Python numbers for the counts, lists for the history, the line search by name. */
    @Test
    void torchStateDictHasPyTorchsStructure() {
        List<Tensor> ps = start();
        LBFGS opt = new LBFGS(ps, 1, 3, null);
        assertEquals(Map.of(), opt.torchStateDict().get("state"));
        run(opt, ps, 1);
        Map<?, ?> dict = opt.torchStateDict();
        Map<?, ?> group = (Map<?, ?>) ((List<?>) dict.get("param_groups")).getFirst();
        assertEquals(3L, group.get("max_iter"));
        assertNull(group.get("line_search_fn"));
        assertEquals(List.of(0L, 1L), group.get("params"));
        Map<?, ?> state = (Map<?, ?>) ((Map<?, ?>) dict.get("state")).get(0L);
        // max_eval = 3 * 5 / 4 = 3 calls: the first, and one after each of two iterations.
        assertEquals(3L, state.get("func_evals"));
        assertEquals(2L, state.get("n_iter"));
        assertEquals(1, ((List<?>) state.get("old_dirs")).size());
        assertInstanceOf(Double.class, state.get("prev_loss"));
        assertEquals(6, ((Tensor) state.get("d")).numel());
    }

    @Test
    void otherOptimizersTakeAClosureToo() {
        Tensor p = OptimizerTest.param();
        SGD sgd = new SGD(List.of(p), 0.1);
        Tensor l = sgd.step(() -> {
            sgd.zeroGrad();
            Tensor v = p.mul(p).sum();
            v.backward();
            return v;
        });
        assertEquals(14, l.item());
        assertClose("one SGD step", p.detach(), Tensor.tensor(new float[] {0.8f, -1.6f, 2.4f}), 1e-7);
    }

    @Test
    void badUseIsRefused() {
        List<Tensor> ps = start();
        assertMessage(() -> new LBFGS(ps).step(), "LBFGS: step() needs a closure");
        assertMessage(() -> new LBFGS(ps, 1, 20, "backtracking"), "only the line search \"strong_wolfe\"", "backtracking");
        assertMessage(() -> new LBFGS(ps, 1, 0, null), "max_iter", "at least 1");
        assertMessage(() -> new LBFGS(ps, 1, 5, 5, 1e-7, 1e-9, 0, null), "history_size");
        LBFGS opt = new LBFGS(ps);
        assertMessage(() -> opt.step(() -> ps.get(1).mul(2)), "LBFGS: the closure must return the loss, one value", "(2, 2)");
        // Another optimizer's state, in both forms.
        Adam adam = new Adam(ps, 0.1);
        adam.step(() -> {
            adam.zeroGrad();
            Tensor v = loss(ps.get(0), ps.get(1));
            v.backward();
            return v;
        });
        assertMessage(() -> opt.loadStateDict(adam.stateDict()), "which LBFGS does not have", "another optimizer");
        assertMessage(() -> opt.loadTorchStateDict(adam.torchStateDict()), "LBFGS.loadTorchStateDict", "is not one of LBFGS's");
        assertMessage(() -> adam.loadStateDict(opt.stateDict()), "max_iter", "another optimizer");
        // A state for parameters of another size.
        List<Tensor> other = start();
        LBFGS three = new LBFGS(List.of(other.get(0)), 1, 3, null);
        three.step(() -> {
            three.zeroGrad();
            Tensor v = other.get(0).pow(2).sum();
            v.backward();
            return v;
        });
        assertMessage(() -> opt.loadStateDict(three.stateDict()), "\"d\" should be a vector of 6 elements", "(2,)");
        Map<String, Object> notLbfgs = new LinkedHashMap<>();
        notLbfgs.put("state", Map.of());
        notLbfgs.put("param_groups", new ArrayList<>());
        assertMessage(() -> opt.loadTorchStateDict(notLbfgs), "LBFGS.loadTorchStateDict", "one param group");
        assertThrows(IllegalArgumentException.class, () -> opt.loadStateDict(new SafeTensors.Contents(Map.of("state.1.d", Tensor.zeros(6)),
                Map.of())));
    }
}
