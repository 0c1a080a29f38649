package dev.cortado.nn;

import dev.cortado.tensor.ConvOptions;
import dev.cortado.tensor.Device;
import dev.cortado.tensor.Tensor;
import dev.cortado.testing.OnReference;
import dev.cortado.testing.ReferenceBackend;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.cortado.testing.Inputs.assertMessage;
import static dev.cortado.testing.Inputs.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Registration, names, modes, freezing, moving and state dicts, as PyTorch's nn.Module does them. */
class ModuleTest extends OnReference {
    static final class Block extends Module {
        final Conv2d conv1 = register("conv1", new Conv2d(2, 2, 3, ConvOptions.DEFAULT.padding(1)));
        final BatchNorm2d bn1 = register("bn1", new BatchNorm2d(2));

        @Override
        public Tensor forward(Tensor x) {
            return bn1.forward(conv1.forward(x)).relu().add(x);
        }
    }

    static final class Net extends Module {
        final Conv2d stem = register("stem", new Conv2d(1, 2, 3, ConvOptions.DEFAULT.padding(1)));
        final Sequential layers = register("layers", new Sequential(new Block(), new Block()));
        final Dropout drop = register("drop", new Dropout(0.5));
        final Linear fc = register("fc", new Linear(2 * 4 * 4, 3));

        @Override
        public Tensor forward(Tensor x) {
            return fc.forward(drop.forward(layers.forward(stem.forward(x))).flatten(1, -1));
        }
    }

    @Test
    void stateDictKeysFollowPyTorch() {
        Net net = new Net();
        assertEquals(List.of("stem.weight", "stem.bias", "layers.0.conv1.weight", "layers.0.conv1.bias", "layers.0.bn1.weight",
                "layers.0.bn1.bias", "layers.0.bn1.running_mean", "layers.0.bn1.running_var", "layers.0.bn1.num_batches_tracked",
                "layers.1.conv1.weight", "layers.1.conv1.bias", "layers.1.bn1.weight", "layers.1.bn1.bias", "layers.1.bn1.running_mean",
                "layers.1.bn1.running_var", "layers.1.bn1.num_batches_tracked", "fc.weight", "fc.bias"),
                new ArrayList<>(net.stateDict().keySet()));
        assertEquals(12, net.parameters().size());
        assertEquals(6, net.buffers().size());
        assertEquals(20 + 2 * (38 + 4) + 99, net.parameterCount());
        assertEquals(List.of("", "stem", "layers", "layers.0", "layers.0.conv1", "layers.0.bn1", "layers.1", "layers.1.conv1",
                "layers.1.bn1", "drop", "fc"), new ArrayList<>(net.namedModules().keySet()));
        assertEquals(4, net.children().size());
    }

    @Test
    void modesFreezingAndApply() {
        Net net = new Net();
        net.eval();
        assertTrue(net.modules().stream().noneMatch(Module::isTraining));
        Tensor x = dev.cortado.testing.Inputs.randn(1, ReferenceBackend.DEVICE, 2, 1, 4, 4);
        assertClose("eval is deterministic", net.forward(x), net.forward(x), 0);
        net.train();
        assertTrue(net.drop.isTraining());
        net.stem.requiresGrad(false);
        assertEquals(net.parameterCount() - 20, net.parameterCount(true));
        net.forward(x).sum().backward();
        assertEquals(null, net.stem.weight.grad());
        assertTrue(net.fc.weight.grad() != null);
        net.zeroGrad();
        assertEquals(null, net.fc.weight.grad());
        List<String> visited = new ArrayList<>();
        net.apply(m -> visited.add(m.getClass().getSimpleName()));
        assertEquals("Net", visited.get(visited.size() - 1));
        assertEquals("Conv2d", visited.get(0));
        net.apply(m -> {
            if (m instanceof Conv2d c) {
                Init.zeros_(c.bias);
            }
        });
        assertClose("custom init", net.stem.bias, Tensor.zeros(2), 0);
    }

    @Test
    void setAssignsWeightsByPath() {
        Net net = new Net();
        Tensor k = Tensor.arange(18).reshape(2, 1, 3, 3).to(dev.cortado.tensor.DType.FLOAT32);
        Tensor before = net.stem.weight;
        net.set("stem.weight", k);
        assertSame(before, net.stem.weight);
        assertClose("assigned", net.stem.weight, k, 0);
        assertTrue(net.stem.weight.requiresGrad());
        assertMessage(() -> net.set("stem.weight", Tensor.zeros(2, 1, 5, 5)), "stem.weight", "(2, 1, 3, 3)", "(2, 1, 5, 5)");
        assertMessage(() -> net.set("stem.kernel", k), "no parameter or buffer \"stem.kernel\"");
    }

    @Test
    void toMovesInPlace() {
        Net net = new Net();
        Tensor w = net.fc.weight;
        Tensor x = dev.cortado.testing.Inputs.randn(1, ReferenceBackend.DEVICE, 2, 1, 4, 4);
        net.eval();
        Tensor expected = net.forward(x);
        net.to(Device.CPU);
        assertSame(w, net.fc.weight);
        assertEquals(Device.CPU, net.fc.weight.device());
        assertEquals(Device.CPU, net.namedModules().get("layers.0.bn1").buffer("running_var").device());
        assertClose("same function on the CPU", net.forward(x.to(Device.CPU)).to(ReferenceBackend.DEVICE), expected, 1e-5);
    }

    @Test
    void loadStateDictChecksEverything() {
        Net a = new Net();
        Net b = new Net();
        b.loadStateDict(a.stateDict(), true);
        assertClose("copied", b.fc.weight, a.fc.weight, 0);
        assertNotSame(a.fc.weight, b.fc.weight);
        Map<String, Tensor> sd = new java.util.LinkedHashMap<>(a.stateDict());
        sd.remove("fc.bias");
        sd.put("fc.extra", Tensor.zeros(1));
        sd.put("stem.weight", Tensor.zeros(3, 1, 3, 3));
        Tensor before = b.layers.namedChildren().get("0").parameter("weight");
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> b.loadStateDict(sd, true));
        assertTrue(e.getMessage().contains("missing keys: [fc.bias]"), e.getMessage());
        assertTrue(e.getMessage().contains("unexpected keys: [fc.extra]"), e.getMessage());
        assertTrue(e.getMessage().contains("stem.weight: checkpoint (3, 1, 3, 3)"), e.getMessage());
        assertEquals(null, before);
        sd.put("stem.weight", a.stem.weight.detach());
        assertEquals(new IncompatibleKeys(java.util.List.of("fc.bias"), java.util.List.of("fc.extra")), b.loadStateDict(sd, false));
        assertEquals(new IncompatibleKeys(java.util.List.of(), java.util.List.of()), b.loadStateDict(a.stateDict(), true));
        assertMessage(() -> b.register("fc", new Identity()), "already registered");
        // A checkpoint of a wrapped model (DataParallel's "module." prefix): the error says so, and consumePrefix strips it.
        Map<String, Tensor> wrapped = new java.util.LinkedHashMap<>();
        a.stateDict().forEach((k, v) -> wrapped.put("module." + k, v));
        assertMessage(() -> b.loadStateDict(wrapped, true), "every checkpoint key starts with \"module.\"",
                "StateDicts.consumePrefix(state, \"module.\")");
        assertEquals(new IncompatibleKeys(java.util.List.of(), java.util.List.of()), b.loadStateDict(StateDicts.consumePrefix(wrapped, "module."), true));
    }

    @Test
    void printsLikePyTorch() {
        Sequential s = new Sequential(new Linear(4, 3), new ReLU(), new Conv2d(1, 2, 3, ConvOptions.DEFAULT.padding(1).stride(2)));
        assertEquals("Sequential(\n  (0): Linear(in_features=4, out_features=3, bias=True)\n  (1): ReLU()\n"
                + "  (2): Conv2d(1, 2, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1))\n)", s.toString());
        assertEquals("Conv2d(1, 1, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1), padding_mode=circular)",
                new Conv2d(1, 1, 3, ConvOptions.DEFAULT.padding(1).paddingMode(dev.cortado.tensor.PadMode.CIRCULAR)).toString());
        assertFalse(new Net().toString().isEmpty());
        assertEquals("BatchNorm2d(3, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)", new BatchNorm2d(3).toString());
    }

    @Test
    void parametersToAVectorAndBack() {
        Linear a = new Linear(3, 2);
        Tensor v = ParameterVectors.parametersToVector(a.parameters());
        assertEquals(8, v.numel());
        assertClose("weight first", v.narrow(0, 0, 6), a.weight.reshape(-1), 0);
        assertClose("then bias", v.narrow(0, 6, 2), a.bias, 0);
        v.mul(v).sum().backward();
        assertClose("differentiable", a.weight.grad(), a.weight.mul(2), 1e-12);
        Linear b = new Linear(3, 2);
        ParameterVectors.vectorToParameters(v.detach(), b.parameters());
        assertClose("copied back", b.weight, a.weight, 0);
        assertClose("copied back", b.bias, a.bias, 0);
        assertMessage(() -> ParameterVectors.vectorToParameters(Tensor.zeros(7), b.parameters()),
                "vector_to_parameters: expected a 1-d vector of 8 elements (the parameters' total), got (7,)");
    }

    @Test
    void moduleDictRegistersItsModulesUnderTheirNames() {
        ModuleDict heads = new ModuleDict().put("age", new Linear(4, 1)).put("digit", new Linear(4, 10));
        assertEquals(List.of("age.weight", "age.bias", "digit.weight", "digit.bias"), List.copyOf(heads.stateDict().keySet()));
        assertEquals(List.of("age", "digit"), List.copyOf(heads.keys()));
        assertTrue(heads.containsKey("digit"));
        assertEquals(2, heads.size());
        assertEquals(10, ((Linear) heads.get("digit")).weight.size(0));
        assertMessage(() -> heads.get("colour"), "ModuleDict: no module named \"colour\"; it holds [age, digit]");
        assertMessage(() -> heads.put("age", new Identity()), "module \"age\" is already registered");
        assertMessage(() -> heads.forward(Tensor.ones(1)), "ModuleDict has no forward");
    }

    /** A layer with a cached table it can recompute: a buffer left out of the state dict. */
    static final class WithCache extends dev.cortado.nn.Module {
        final Tensor scale = registerBuffer("scale", Tensor.ones(2));
        final Tensor cache = registerBuffer("cache", Tensor.zeros(3), false);

        @Override
        public Tensor forward(Tensor x) {
            return x.mul(scale);
        }
    }

    @Test
    void nonPersistentBuffersMoveButStayOutOfTheStateDict() {
        Sequential net = new Sequential(new Linear(2, 2), new WithCache());
        assertEquals(List.of("0.weight", "0.bias", "1.scale"), List.copyOf(net.stateDict().keySet()));
        assertEquals(2, net.buffers().size(), "buffers() lists both, so to(device) moves both");
        Map<String, Tensor> state = new java.util.LinkedHashMap<>(net.stateDict());
        state.put("1.scale", Tensor.full(new int[] {2}, 3));
        assertTrue(net.loadStateDict(state, true).missingKeys().isEmpty(), "strict loading does not ask for the cache");
        state.put("1.cache", Tensor.zeros(3));
        assertMessage(() -> net.loadStateDict(state, true), "unexpected keys: [1.cache]");
        net.set("1.cache", Tensor.full(new int[] {3}, 2));
        assertEquals(6, net.getBuffer("1.cache").sum().item(), 0, "set reaches it");
    }

    @Test
    void submodulesParametersAndBuffersByDottedPath() {
        Sequential inner = new Sequential(new Linear(3, 4), new BatchNorm1d(4));
        Sequential net = new Sequential(inner, new ReLU());
        assertSame(inner, net.getSubmodule("0"));
        assertSame(net, net.getSubmodule(""));
        assertSame(inner.children().get(1), net.getSubmodule("0.1"));
        assertSame(net.parameters().get(0), net.getParameter("0.0.weight"));
        assertSame(net.namedBuffers().get("0.1.running_var"), net.getBuffer("0.1.running_var"));
        assertMessage(() -> net.getSubmodule("0.2"), "getSubmodule(\"0.2\"): Sequential has no submodule \"2\"; it has [0, 1]");
        assertMessage(() -> net.getSubmodule("1.fc"), "getSubmodule(\"1.fc\"): ReLU has no submodule \"fc\"; it has []");
        assertMessage(() -> net.getParameter("0.0.wieght"), "getParameter(\"0.0.wieght\"): Linear has no parameter \"wieght\"; it has [weight, bias]");
        assertMessage(() -> net.getParameter("0.5.weight"), "getParameter(\"0.5.weight\"): Sequential has no submodule \"5\"");
        assertMessage(() -> net.getBuffer("0.1.weight"), "getBuffer(\"0.1.weight\"): BatchNorm1d has no buffer \"weight\"; it has [running_mean, running_var, num_batches_tracked]");
    }
}
