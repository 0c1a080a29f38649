package dev.cortado.data;

import dev.cortado.tensor.Generator;

import java.util.ArrayList;
import java.util.List;

/**
 * torchvision's random combinators: {@code RandomApply}, {@code RandomChoice} and
 * {@code RandomOrder}, for steps of any type that keep it (a tensor image, or an 8-bit
 * {@link Image}: {@code randomApply(0.5, ImageOps::equalize)} is {@code RandomEqualize(0.5)}).
 * They draw from {@link SampleRandom#current()}, so a {@link DataLoader}'s seed repeats them.
 */
public final class RandomTransforms {
    private RandomTransforms() {
    }

    /** {@code RandomApply(transforms, p)}: the steps in order with probability p, otherwise the input as it is. */
    @SafeVarargs
    public static <T> Transform<T, T> randomApply(double p, Transform<T, T>... transforms) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("RandomApply: p must be in [0, 1], got " + p);
        }
        List<Transform<T, T>> steps = List.of(transforms);
        return x -> {
            // torchvision skips when p < rand, so p = 1 always applies and p = 0 never does.
            if (p < SampleRandom.current().nextDouble()) {
                return x;
            }
            T y = x;
            for (Transform<T, T> t : steps) {
                y = t.apply(y);
            }
            return y;
        };
    }

    /** {@code RandomChoice(transforms)}: one of the steps, drawn uniformly. */
    public static <T> Transform<T, T> randomChoice(List<Transform<T, T>> transforms) {
        if (transforms.isEmpty()) {
            throw new IllegalArgumentException("RandomChoice: needs at least one transform");
        }
        List<Transform<T, T>> steps = List.copyOf(transforms);
        return x -> steps.get((int) SampleRandom.current().nextLong(steps.size())).apply(x);
    }

    /** {@code RandomOrder(transforms)}: all the steps, in an order drawn uniformly. */
    public static <T> Transform<T, T> randomOrder(List<Transform<T, T>> transforms) {
        List<Transform<T, T>> steps = List.copyOf(transforms);
        return x -> {
            Generator g = SampleRandom.current();
            List<Transform<T, T>> order = new ArrayList<>(steps);
            for (int i = order.size() - 1; i > 0; i--) {
                java.util.Collections.swap(order, i, (int) g.nextLong(i + 1));
            }
            T y = x;
            for (Transform<T, T> t : order) {
                y = t.apply(y);
            }
            return y;
        };
    }
}
