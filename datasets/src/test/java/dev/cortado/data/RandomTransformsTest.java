package dev.cortado.data;

import dev.cortado.tensor.Cortado;
import dev.cortado.tensor.Device;
import dev.cortado.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.cortado.testing.Inputs.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RandomApply, RandomChoice, RandomOrder and RandomGrayscale: how often and in what order they apply, repeatably. */
class RandomTransformsTest {
    @BeforeAll
    static void onTheCpu() {
        Cortado.setDefaultDevice(Device.CPU);
    }

    private static <T> List<T> draws(int n, Transform<String, T> t) {
        List<T> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int index = i;
            out.add(SampleRandom.with(11, 0, index, k -> t.apply("x")));
        }
        return out;
    }

    @Test
    void applyChooseAndOrderAsOften() {
        List<String> applied = draws(2000, RandomTransforms.randomApply(0.3, s -> s + "a", s -> s + "b"));
        long both = applied.stream().filter("xab"::equals).count();
        assertEquals(2000, both + applied.stream().filter("x"::equals).count(), "all steps or none");
        assertEquals(0.3, both / 2000.0, 0.04);
        assertTrue(draws(50, RandomTransforms.randomApply(1, s -> s + "a")).stream().allMatch("xa"::equals));
        assertTrue(draws(50, RandomTransforms.<String>randomApply(0, s -> s + "a")).stream().allMatch("x"::equals));

        Map<String, Integer> chosen = new HashMap<>();
        draws(3000, RandomTransforms.randomChoice(List.<Transform<String, String>>of(s -> s + "a", s -> s + "b", s -> s + "c")))
                .forEach(s -> chosen.merge(s, 1, Integer::sum));
        assertEquals(3, chosen.size());
        chosen.values().forEach(c -> assertEquals(1000, c, 120));

        Map<String, Integer> orders = new HashMap<>();
        draws(3000, RandomTransforms.randomOrder(List.<Transform<String, String>>of(s -> s + "a", s -> s + "b", s -> s + "c")))
                .forEach(s -> orders.merge(s, 1, Integer::sum));
        assertEquals(6, orders.size(), "every order of three steps: " + orders.keySet());
        orders.values().forEach(c -> assertEquals(500, c, 90));
        assertEquals(draws(20, RandomTransforms.randomOrder(List.<Transform<String, String>>of(s -> s + "a", s -> s + "b"))),
                draws(20, RandomTransforms.randomOrder(List.<Transform<String, String>>of(s -> s + "a", s -> s + "b"))), "seeded, repeatable");
    }

    @Test
    void randomGrayscaleKeepsTheChannels() {
        Tensor rgb = Tensor.rand(3, 4, 5);
        Tensor gray = SampleRandom.with(1, 0, 0, i -> Transforms.randomGrayscale(1).apply(rgb));
        assertEquals(List.of(3, 4, 5), List.of(gray.size(0), gray.size(1), gray.size(2)));
        assertEquals(0, gray.select(0, 0).sub(gray.select(0, 2)).abs().max().item(), 0);
        assertEquals(0, gray.select(0, 0).sub(Transforms.grayscale(1).apply(rgb).select(0, 0)).abs().max().item(), 0);
        Tensor one = Tensor.rand(1, 4, 5);
        assertSame(one, SampleRandom.with(1, 0, 0, i -> Transforms.randomGrayscale(1).apply(one)));
        assertSame(rgb, SampleRandom.with(1, 0, 0, i -> Transforms.randomGrayscale(0).apply(rgb)));
    }

    @Test
    void badArgumentsAreNamed() {
        assertMessage(() -> RandomTransforms.randomApply(1.5, (String s) -> s), "RandomApply: p must be in [0, 1], got 1.5");
        assertMessage(() -> RandomTransforms.randomChoice(List.<Transform<String, String>>of()), "RandomChoice: needs at least one transform");
        assertMessage(() -> Transforms.randomGrayscale(-0.1), "RandomGrayscale: p must be in [0, 1], got -0.1");
    }
}
