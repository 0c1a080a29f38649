package dev.cortado.nn;

import dev.cortado.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.cortado.testing.Inputs.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ParameterContainersTest {
    /** A polynomial a₀ + a₁x + ... with as many coefficients as asked: the case ParameterList is for. */
    static final class Polynomial extends dev.cortado.nn.Module {
        final ParameterList coefficients = register("coefficients", new ParameterList());

        Polynomial(int terms) {
            for (int i = 0; i < terms; i++) {
                coefficients.add(Tensor.zeros(1));
            }
        }

        @Override
        public Tensor forward(Tensor x) {
            Tensor y = Tensor.zeros(x.shape());
            Tensor power = x.onesLike();
            for (Tensor a : coefficients) {
                y = y.add(power.mul(a));
                power = power.mul(x);
            }
            return y;
        }
    }

    @Test
    void parameterListRegistersEachParameterUnderItsIndex() {
        Polynomial p = new Polynomial(3);
        assertEquals(List.of("coefficients.0", "coefficients.1", "coefficients.2"), List.copyOf(p.stateDict().keySet()));
        assertEquals(3, p.parameters().size());
        Tensor x = Tensor.fromArray(new float[] {1, 2, 3}, 3);
        p.forward(x).sum().backward();
        // d/da_k Σ x^k over x = 1, 2, 3: 3, 6, 14.
        assertEquals(3, p.coefficients.get(0).grad().item(), 0);
        assertEquals(6, p.coefficients.get(1).grad().item(), 0);
        assertEquals(14, p.coefficients.get(-1).grad().item(), 0);

        Tensor replacement = Tensor.ones(1);
        p.coefficients.set(1, replacement);
        assertSame(replacement, p.coefficients.get(1));
        assertTrue(replacement.requiresGrad());
        assertEquals(List.of("coefficients.0", "coefficients.1", "coefficients.2"), List.copyOf(p.stateDict().keySet()), "set keeps the position");
        assertMessage(() -> p.coefficients.get(3), "ParameterList: index 3 is out of range for 3 parameters");
        assertMessage(() -> p.coefficients.get(-4), "ParameterList: index -4 is out of range for 3 parameters");
        assertMessage(() -> p.coefficients.add(Tensor.ones(2).requiresGrad_(true).mul(2)), "parameter \"3\" must be a leaf tensor");
        assertEquals(3, p.coefficients.size(), "a refused parameter leaves the list as it was");
        assertThrows(UnsupportedOperationException.class, () -> p.coefficients.forward(x));

        Tensor shared = Tensor.ones(2);
        ParameterList twice = new ParameterList(shared, shared);
        assertEquals(2, twice.size());
        int seen = 0;
        for (Tensor t : twice) {
            assertSame(shared, t);
            seen++;
        }
        assertEquals(2, seen, "the list holds a parameter added twice twice, as PyTorch's");
        assertEquals(1, twice.parameters().size(), "parameters() lists it once, as PyTorch's");
    }

    @Test
    void reprsArePyTorchs() {
        // PyTorch 1.13's reprs, ParameterDict's type names included.
        assertEquals("ParameterList(\n    (0): Parameter containing: [torch.float32 of size 3x4]\n    (1): Parameter containing: [torch.float32 of size 5]\n)",
                new ParameterList(Tensor.zeros(3, 4), Tensor.zeros(5)).toString());
        assertEquals("ParameterList(  (0): Parameter containing: [torch.float32 of size 3])", new ParameterList(Tensor.zeros(3)).toString());
        assertEquals("ParameterList()", new ParameterList().toString());
        assertEquals("ParameterList(  (0): Parameter containing: [torch.float32 of size ])", new ParameterList(Tensor.scalar(0)).toString());
        Map<String, Tensor> named = new LinkedHashMap<>();
        named.put("a", Tensor.zeros(1, 2));
        named.put("b", Tensor.zeros(2));
        assertEquals("ParameterDict(\n    (a): Parameter containing: [torch.FloatTensor of size 1x2]\n    (b): Parameter containing: [torch.FloatTensor of size 2]\n)",
                new ParameterDict(named).toString());
        Sequential owner = new Sequential(new ParameterList(Tensor.zeros(3, 4), Tensor.zeros(5)));
        assertEquals("Sequential(\n  (0): ParameterList(\n      (0): Parameter containing: [torch.float32 of size 3x4]\n"
                + "      (1): Parameter containing: [torch.float32 of size 5]\n  )\n)", owner.toString());
    }

    @Test
    void parameterDictKeepsInsertionOrderAndReplacesInPlace() {
        ParameterDict d = new ParameterDict();
        Tensor w = d.put("weight", Tensor.ones(2, 2));
        d.put("bias", Tensor.zeros(2));
        d.put("scale", Tensor.ones(1));
        assertTrue(w.requiresGrad());
        assertEquals(List.of("weight", "bias", "scale"), List.copyOf(d.keys()));
        Tensor bias = Tensor.full(new int[] {2}, 3);
        d.put("bias", bias);
        assertEquals(List.of("weight", "bias", "scale"), List.copyOf(d.stateDict().keySet()), "a replaced key keeps its place");
        assertSame(bias, d.get("bias"));
        assertSame(bias, d.pop("bias"));
        assertEquals(List.of("weight", "scale"), List.copyOf(d.items().keySet()));
        assertEquals(2, d.size());
        assertTrue(d.containsKey("scale") && !d.containsKey("bias"));
        assertMessage(() -> d.get("bias"), "ParameterDict has no key \"bias\"; it has [weight, scale]");
        assertMessage(() -> d.pop("bias"), "ParameterDict has no key \"bias\" to remove; it has [weight, scale]");
        assertMessage(() -> d.put("a.b", Tensor.ones(1)), "contain no '.'");

        Map<String, Tensor> state = new LinkedHashMap<>();
        state.put("weight", Tensor.full(new int[] {2, 2}, 7));
        state.put("scale", Tensor.full(new int[] {1}, 5));
        d.loadStateDict(state, true);
        assertEquals(7, d.get("weight").max().item(), 0);
        assertEquals(5, d.get("scale").item(), 0);
    }
}
