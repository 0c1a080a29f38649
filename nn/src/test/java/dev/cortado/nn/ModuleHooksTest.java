package dev.cortado.nn;

import dev.cortado.autograd.RemovableHandle;
import dev.cortado.tensor.Tensor;
import dev.cortado.testing.OnReference;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.cortado.testing.Inputs.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** Forward hooks and pre-hooks run by {@link Module#call}, as PyTorch's {@code module(x)} runs them. */
class ModuleHooksTest extends OnReference {
    /** A user module that calls its children through call, as {@code self.conv(x)} does in PyTorch. */
    static final class Net extends Module {
        final Linear fc1 = register("fc1", new Linear(4, 3));
        final Sequential head = register("head", new Sequential(new ReLU(), new Linear(3, 2)));

        @Override
        public Tensor forward(Tensor x) {
            return head.call(fc1.call(x));
        }
    }

    @Test
    void forwardHooksSeeEveryCalledModuleInCallOrder() {
        Net net = new Net();
        Map<String, Tensor> maps = new LinkedHashMap<>();
        for (var e : net.namedModules().entrySet()) {
            String name = e.getKey().isEmpty() ? "net" : e.getKey();
            e.getValue().registerForwardHook((m, in, out) -> {
                maps.put(name, out.detach());
                return null;
            });
        }
        Tensor x = Tensor.randn(5, 4);
        Tensor y = net.call(x);
        assertEquals(List.of("fc1", "head.0", "head.1", "head", "net"), List.copyOf(maps.keySet()));
        assertArrayEquals(new int[] {5, 3}, maps.get("fc1").shape());
        assertArrayEquals(net.fc1.forward(x).toFloatArray(), maps.get("fc1").toFloatArray());
        assertArrayEquals(y.toFloatArray(), maps.get("net").toFloatArray());
    }

    @Test
    void callingForwardDirectlySkipsTheModulesOwnHooks() {
        Net net = new Net();
        List<String> seen = new ArrayList<>();
        net.registerForwardHook((m, in, out) -> {
            seen.add("net");
            return null;
        });
        net.fc1.registerForwardHook((m, in, out) -> {
            seen.add("fc1");
            return null;
        });
        net.forward(Tensor.randn(1, 4));
        assertEquals(List.of("fc1"), seen);
    }

    @Test
    void returnedTensorsReplaceInputAndOutputInRegistrationOrder() {
        Identity id = new Identity();
        List<String> order = new ArrayList<>();
        id.registerForwardPreHook((m, in) -> {
            order.add("pre1");
            return in.mul(2f);
        });
        id.registerForwardPreHook((m, in) -> {
            order.add("pre2 saw " + in.item());
            return null;
        });
        id.registerForwardHook((m, in, out) -> {
            order.add("hook1 saw in " + in.item() + " out " + out.item());
            return out.add(1f);
        });
        id.registerForwardHook((m, in, out) -> {
            order.add("hook2 saw " + out.item());
            assertSame(id, m);
            return null;
        });
        assertEquals(7.0, id.call(Tensor.scalar(3f)).item());
        assertEquals(List.of("pre1", "pre2 saw 6.0", "hook1 saw in 6.0 out 6.0", "hook2 saw 7.0"), order);
    }

    @Test
    void handlesRemoveTheirOwnRegistrationOnceAndCloseInTryWithResources() {
        Identity id = new Identity();
        List<Integer> calls = new ArrayList<>();
        ForwardHook hook = (m, in, out) -> {
            calls.add(1);
            return null;
        };
        RemovableHandle first = id.registerForwardHook(hook);
        id.registerForwardHook(hook);
        id.call(Tensor.scalar(0f));
        assertEquals(2, calls.size());
        first.remove();
        first.remove();
        id.call(Tensor.scalar(0f));
        assertEquals(3, calls.size());
        try (RemovableHandle scoped = id.registerForwardPreHook((m, in) -> in.neg())) {
            assertEquals(-2.0, id.call(Tensor.scalar(2f)).item());
        }
        assertEquals(2.0, id.call(Tensor.scalar(2f)).item());
    }

    @Test
    void aHookThatRemovesItselfStillLetsTheOthersOfThatCallRun() {
        Identity id = new Identity();
        List<String> seen = new ArrayList<>();
        RemovableHandle[] self = new RemovableHandle[1];
        self[0] = id.registerForwardHook((m, in, out) -> {
            seen.add("once");
            self[0].remove();
            return null;
        });
        id.registerForwardHook((m, in, out) -> {
            seen.add("always");
            return null;
        });
        id.call(Tensor.scalar(0f));
        id.call(Tensor.scalar(0f));
        assertEquals(List.of("once", "always", "always"), seen);
    }

    @Test
    void summaryStillListsLayersWhileHooksAreRegistered() {
        Net net = new Net();
        int[] fired = new int[1];
        net.fc1.registerForwardHook((m, in, out) -> {
            fired[0]++;
            return null;
        });
        Summary s = Summary.of(net, 4);
        assertEquals(List.of("Linear-1", "ReLU-2", "Linear-3"), s.rows().stream().map(Summary.Row::layer).toList());
        assertEquals(1, fired[0]);
    }

    @Test
    void aNullHookIsRefused() {
        Identity id = new Identity();
        assertMessage(() -> id.registerForwardHook(null), "registerForwardHook: hook is null");
        assertMessage(() -> id.registerForwardPreHook(null), "registerForwardPreHook: hook is null");
    }

    private static Linear fixedLinear() {
        Linear lin = new Linear(3, 2);
        try (var off = dev.cortado.autograd.GradMode.off()) {
            lin.weight.copy_(Tensor.fromArray(new float[] {1, 2, 3, -1, 0.5f, 2}, 2, 3));
            lin.bias.copy_(Tensor.fromArray(new float[] {0.5f, -0.5f}, 2));
        }
        return lin;
    }

    @Test
    void fullBackwardHooksSeeBothGradientsAndMayReplaceTheInputs() {
        Linear lin = fixedLinear();
        List<float[][]> seen = new ArrayList<>();
        lin.registerFullBackwardHook((m, gi, go) -> {
            seen.add(new float[][] {gi.toFloatArray(), go.toFloatArray()});
            return gi.mul(2f);
        });
        Tensor x = Tensor.fromArray(new float[] {1, -1, 2}, 1, 3).requiresGrad_(true);
        lin.call(x).mul(Tensor.fromArray(new float[] {1, 3}, 1, 2)).sum().backward();
        assertArrayEquals(new float[] {-2, 3.5f, 9}, seen.get(0)[0]);
        assertArrayEquals(new float[] {1, 3}, seen.get(0)[1]);
        assertArrayEquals(new float[] {-4, 7, 18}, x.grad().toFloatArray());
        assertArrayEquals(new float[] {1, -1, 2, 3, -3, 6}, lin.weight.grad().toFloatArray());
    }

    @Test
    void withoutAnInputGradientTheHookRunsWithNullOnceTheOutputsIsKnown() {
        Linear lin = fixedLinear();
        List<String> seen = new ArrayList<>();
        lin.registerFullBackwardHook((m, gi, go) -> {
            seen.add((gi == null ? "null" : "input") + " " + java.util.Arrays.toString(go.toFloatArray()));
            return null;
        });
        lin.call(Tensor.fromArray(new float[] {1, -1, 2}, 1, 3)).mul(Tensor.fromArray(new float[] {1, 3}, 1, 2)).sum().backward();
        assertEquals(List.of("null [1.0, 3.0]"), seen);
        assertArrayEquals(new float[] {1, -1, 2, 3, -3, 6}, lin.weight.grad().toFloatArray());
        assertMessage(() -> {
            lin.registerFullBackwardHook((m, gi, go) -> go);
            lin.call(Tensor.ones(1, 3)).sum().backward();
        }, "Linear: a full backward hook returned a gradient for an input that does not require grad");
    }

    @Test
    void anInPlaceUpdateOfTheOutputDoesNotBypassTheBackwardHook() {
        Linear lin = fixedLinear();
        List<float[]> seen = new ArrayList<>();
        lin.registerFullBackwardHook((m, gi, go) -> {
            seen.add(go.toFloatArray());
            return null;
        });
        Tensor x = Tensor.fromArray(new float[] {1, -1, 2}, 1, 3).requiresGrad_(true);
        Tensor y = lin.call(x);
        y.relu_();
        y.mul(Tensor.fromArray(new float[] {1, 3}, 1, 2)).sum().backward();
        assertEquals(1, seen.size());
        // The output before the relu is (6.5, 1): both positive, so the gradient reaches it unchanged.
        assertArrayEquals(new float[] {1, 3}, seen.get(0));
        assertArrayEquals(new float[] {-2, 3.5f, 9}, x.grad().toFloatArray());
    }

    @Test
    void backwardHooksOfNestedModulesRunInPyTorchsOrder() {
        for (boolean inputGrad : new boolean[] {true, false}) {
            Sequential seq = new Sequential(new Linear(3, 3), new ReLU(), new Linear(3, 1));
            List<String> order = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                String name = Integer.toString(i);
                seq.get(i).registerFullBackwardHook((m, gi, go) -> {
                    order.add(name);
                    return null;
                });
            }
            seq.registerFullBackwardHook((m, gi, go) -> {
                order.add("seq");
                return null;
            });
            seq.call(Tensor.ones(2, 3).requiresGrad_(inputGrad)).sum().backward();
            assertEquals(inputGrad ? List.of("2", "1", "0", "seq") : List.of("seq", "2", "1", "0"), order, "input requires grad: " + inputGrad);
        }
    }
}
