package dev.cortado.data;

/**
 * A step of a sample pipeline, like a torchvision transform. Random steps draw from
 * {@link SampleRandom#current()}, so a {@link DataLoader}'s seed makes them repeatable.
 */
@FunctionalInterface
public interface Transform<I, O> {
    O apply(I input);

    /** This step, then {@code next}: {@code Compose([a, b])} is {@code a.andThen(b)}. */
    default <R> Transform<I, R> andThen(Transform<? super O, ? extends R> next) {
        return x -> next.apply(apply(x));
    }
}
