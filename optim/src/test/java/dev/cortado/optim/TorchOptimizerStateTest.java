package dev.cortado.optim;

import dev.cortado.io.TorchSerialization;
import dev.cortado.tensor.Device;
import dev.cortado.tensor.Tensor;
import dev.cortado.testing.OnReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static dev.cortado.testing.Inputs.assertClose;
import static dev.cortado.testing.Inputs.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * PyTorch's nested {@code optimizer.state_dict()}: checkpoints that PyTorch 1.13 saved
 * ({@code core/src/test/resources/torch/make_fixtures.py}) resume here to PyTorch's numbers, and
 * what Cortado writes has PyTorch's structure.
 */
class TorchOptimizerStateTest extends OnReference {
    private static Map<?, ?> checkpoint(Path dir, String name) throws IOException {
        try (InputStream in = TorchOptimizerStateTest.class.getResourceAsStream("/torch/" + name)) {
            Path p = dir.resolve(name);
            Files.write(p, in.readAllBytes());
            return (Map<?, ?>) TorchSerialization.load(p, Device.CPU);
        }
    }

    private static Tensor resume(Map<?, ?> checkpoint) {
        return ((Tensor) checkpoint.get("param")).to(OptimizerTest.param().device()).requiresGrad_(true);
    }

    /**
     * Loads a PyTorch checkpoint's parameter and optimizer state into {@code make}'s optimizer,
     * takes two more steps and compares with the parameter PyTorch printed after the same steps.
     */
    private static ParamGroup assertResumes(Path dir, String fixture, Function<List<Tensor>, Optimizer> make, float... expected)
            throws IOException {
        Map<?, ?> ck = checkpoint(dir, fixture);
        Tensor p = resume(ck);
        Optimizer opt = make.apply(List.of(p));
        opt.loadTorchStateDict((Map<?, ?>) ck.get("optimizer"));
        OptimizerTest.lossStep(opt, p);
        OptimizerTest.lossStep(opt, p);
        assertClose(fixture + " after two more steps", p.detach(), Tensor.tensor(expected), 1e-6);
        return opt.paramGroups().getFirst();
    }

    @Test
    void resumesPyTorchsAdamToItsNumbers(@TempDir Path dir) throws IOException {
        ParamGroup g = assertResumes(dir, "adam_checkpoint.pt", ps -> new Adam(ps, 0.5), 0.5077539086341858f, -1.506238579750061f,
                2.503127336502075f);
        assertEquals(List.of(0.1, 0.8, 0.99, 1e-6, 0.1, 1.0), List.of(g.lr(), g.get("beta1"), g.get("beta2"), g.get("eps"),
                g.get("weight_decay"), g.get("amsgrad")));
    }

    /** SGD without momentum stores a None buffer; PyTorch's flags (maximize, foreach) are False and None. */
    @Test
    void resumesPyTorchsPlainSgd(@TempDir Path dir) throws IOException {
        ParamGroup g = assertResumes(dir, "sgd_checkpoint.pt", ps -> new SGD(ps, 1.0), 0.4841500222682953f, -0.9668000340461731f,
                0.5936499834060669f);
        assertEquals(0.05, g.lr());
    }

    /** Rprop's etas and step sizes are pairs in PyTorch, two options here; RMSprop's centered is a flag. */
    @Test
    void resumesPyTorchsRpropAndCenteredRmsprop(@TempDir Path dir) throws IOException {
        ParamGroup g = assertResumes(dir, "rprop_checkpoint.pt", ps -> new Rprop(ps, 0.5), 0.744879424571991f, -1.7448794841766357f,
                2.7448794841766357f);
        assertEquals(List.of(0.4, 1.3, 1e-4, 0.5), List.of(g.get("etaminus"), g.get("etaplus"), g.get("step_size_min"),
                g.get("step_size_max")));
        g = assertResumes(dir, "rmsprop_checkpoint.pt", ps -> new RMSprop(ps, 0.5), 0.761550784111023f, -1.76052725315094f,
                2.758195161819458f);
        assertEquals(1.0, g.get("centered"));
        g = assertResumes(dir, "asgd_checkpoint.pt", ps -> new ASGD(ps, 0.5), 0.2815892994403839f, -0.6857848763465881f,
                0.19220824539661407f);
        assertEquals(List.of(0.05, 0.01, 2.0), List.of(g.lr(), g.get("lambd"), g.get("t0")));
        Rprop rprop = new Rprop(List.of(OptimizerTest.param()), 0.1, 0.4, 1.3, 1e-4, 0.5);
        Map<?, ?> group = (Map<?, ?>) ((List<?>) rprop.torchStateDict().get("param_groups")).getFirst();
        assertEquals(List.of(0.4, 1.3), group.get("etas"));
        assertEquals(List.of(1e-4, 0.5), group.get("step_sizes"));
    }

    /** MultiStepLR 35 epochs in (lr 0.1 to 0.01), and ReduceLROnPlateau two bad epochs into a patience of 2, as PyTorch saved them. */
    @Test
    void resumesPyTorchsSchedulers(@TempDir Path dir) throws IOException {
        Map<?, ?> ck = checkpoint(dir, "scheduler_checkpoint.pt");
        SGD sgd = new SGD(List.of(Tensor.zeros(1).requiresGrad_(true)), 0.5, 0.9);
        MultiStepLR multistep = new MultiStepLR(sgd, new int[] {30, 60}, 0.1);
        sgd.loadTorchStateDict((Map<?, ?>) ck.get("optimizer"));
        multistep.loadTorchStateDict((Map<?, ?>) ck.get("multistep"));
        assertEquals(35, multistep.lastEpoch());
        assertEquals(0.01, sgd.paramGroups().getFirst().lr(), 1e-12);
        for (int i = 0; i < 25; i++) {
            multistep.step();
        }
        assertEquals(0.001, sgd.paramGroups().getFirst().lr(), 1e-12, "the second milestone at epoch 60");
        assertEquals(60L, multistep.torchStateDict().get("last_epoch"));
        assertEquals(List.of(0.1), multistep.torchStateDict().get("base_lrs"));

        SGD other = new SGD(List.of(Tensor.zeros(1).requiresGrad_(true)), 0.1);
        assertMessage(() -> new ReduceLROnPlateau(other).loadTorchStateDict((Map<?, ?>) ck.get("plateau")),
                "ReduceLROnPlateau.loadTorchStateDict: the state's patience is 2, this scheduler's 10");
        ReduceLROnPlateau plateau = new ReduceLROnPlateau(other, "min", 0.1, 2, 1e-4, "rel", 0, 0, 1e-8);
        plateau.loadTorchStateDict((Map<?, ?>) ck.get("plateau"));
        assertEquals(0.5, plateau.torchStateDict().get("best"));
        assertEquals(2L, plateau.torchStateDict().get("num_bad_epochs"));
        plateau.step(0.8);
        assertEquals(0.01, other.paramGroups().getFirst().lr(), 1e-12, "the third bad epoch passes a patience of 2");
        assertMessage(() -> multistep.loadTorchStateDict(Map.of("last_epoch", 3L)), "MultiStepLR.loadTorchStateDict: expected a number"
                + " last_epoch and a list of numbers base_lrs");
        assertMessage(() -> plateau.loadTorchStateDict(Map.of("best", "low")), "ReduceLROnPlateau.loadTorchStateDict: expected a number \"best\"");
    }

    @Test
    void writesPyTorchsStructureAndResumesFromIt(@TempDir Path dir) throws IOException {
        Tensor p = OptimizerTest.param();
        Adam first = new Adam(List.of(p), 0.1, 0.8, 0.99, 1e-6, 0.1, true);
        OptimizerTest.lossStep(first, p);
        OptimizerTest.lossStep(first, p);
        Map<String, Object> sd = first.torchStateDict();
        List<?> groups = (List<?>) sd.get("param_groups");
        Map<?, ?> group = (Map<?, ?>) groups.getFirst();
        assertEquals(List.of(0.8, 0.99), group.get("betas"));
        assertEquals(true, group.get("amsgrad"));
        assertEquals(List.of(0L), group.get("params"));
        assertEquals(List.of("exp_avg", "exp_avg_sq", "max_exp_avg_sq", "step"),
                List.copyOf(((Map<?, ?>) ((Map<?, ?>) sd.get("state")).get(0L)).keySet()));

        Tensor q = p.detach().clone().requiresGrad_(true);
        Path file = dir.resolve("adam.pt");
        first.save(file);
        Adam second = new Adam(List.of(q), 0.5);
        second.load(file);
        OptimizerTest.lossStep(first, p);
        OptimizerTest.lossStep(second, q);
        assertClose("resumed from the .pt file", q.detach(), p.detach(), 1e-7);
        assertEquals(3.0, second.stateDict().tensors().get("state.0.step").item());
    }

    @Test
    void aPythonNumberStepAndIdsThatAreNotPositions() {
        Tensor a = OptimizerTest.param();
        Tensor b = OptimizerTest.param();
        Map<Object, Object> state = new LinkedHashMap<>();
        state.put(7L, Map.of("momentum_buffer", Tensor.tensor(new float[] {1, 1, 1})));
        Map<String, Object> group = new LinkedHashMap<>(Map.of("lr", 0.2, "momentum", 0.5, "dampening", 0L, "weight_decay", 0L,
                "nesterov", false, "maximize", false, "differentiable", false));
        group.put("foreach", null);
        group.put("params", List.of(3L, 7L));
        SGD sgd = new SGD(List.of(a, b), 0.1, 0.9);
        sgd.loadTorchStateDict(Map.of("state", state, "param_groups", List.of(group)));
        assertEquals(0.5, sgd.paramGroups().getFirst().get("momentum"));
        assertEquals(List.of("state.1.momentum_buffer"), List.copyOf(sgd.stateDict().tensors().keySet()), "id 7 is the second parameter");

        Map<Object, Object> adamState = new LinkedHashMap<>();
        adamState.put(0L, Map.of("step", 4L, "exp_avg", Tensor.zeros(3), "exp_avg_sq", Tensor.zeros(3)));
        Adam adam = new Adam(List.of(a), 0.1);
        adam.loadTorchStateDict(Map.of("state", adamState, "param_groups", List.of(Map.of("lr", 0.1, "params", List.of(0L)))));
        assertEquals(4.0, adam.stateDict().tensors().get("state.0.step").item(), "PyTorch before 1.12 kept step as an int");
    }

    @Test
    void refusesAStateThatDoesNotFit() {
        Adam adam = new Adam(List.of(OptimizerTest.param()), 0.1);
        Map<String, Object> ok = new LinkedHashMap<>(Map.of("lr", 0.1, "betas", List.of(0.9, 0.999), "params", List.of(0L)));
        assertMessage(() -> adam.loadTorchStateDict(Map.of("param_groups", List.of())),
                "Adam.loadTorchStateDict: expected PyTorch's optimizer.state_dict()");
        assertMessage(() -> adam.loadTorchStateDict(Map.of("state", Map.of(),
                "param_groups", List.of(ok, ok))), "the state has 2 param groups, this optimizer has 1");
        assertMessage(() -> adam.loadTorchStateDict(Map.of("state", Map.of(),
                "param_groups", List.of(with(ok, "params", List.of(0L, 1L))))), "param group 0 has 2 parameters in the state and 1");
        assertMessage(() -> adam.loadTorchStateDict(Map.of("state", Map.of(),
                "param_groups", List.of(with(ok, "maximize", true)))), "maximize=True is not supported");
        assertMessage(() -> adam.loadTorchStateDict(Map.of("state", Map.of(),
                "param_groups", List.of(with(ok, "betas", List.of(0.9))))), "betas should be a pair of numbers");
        assertMessage(() -> adam.loadTorchStateDict(Map.of("state", Map.of(),
                "param_groups", List.of(with(ok, "lr", "fast")))), "option lr is a String (fast), not a number");
        assertMessage(() -> adam.loadTorchStateDict(Map.of("state", Map.of(3L, Map.of()),
                "param_groups", List.of(ok))), "state entry 3 belongs to no parameter");
        assertMessage(() -> adam.loadTorchStateDict(Map.of("state", Map.of(0L, Map.of("exp_avg", "x")),
                "param_groups", List.of(ok))), "state 0.exp_avg is a String, not a tensor");
        SGD sgd = new SGD(List.of(OptimizerTest.param()), 0.1, 0.9);
        assertMessage(() -> sgd.loadTorchStateDict(adam.torchStateDict()),
                "which SGD does not have", "the state of another optimizer?");
    }

    private static Map<String, Object> with(Map<String, Object> m, String key, Object value) {
        Map<String, Object> out = new LinkedHashMap<>(m);
        out.put(key, value);
        return out;
    }
}
