package dev.cortado.tensor;

/** How {@link Tensor#pad} fills the border. */
public enum PadMode {
    /** A constant value (0 by default). */
    CONSTANT,
    /** Mirror without repeating the edge: [a b c] padded by 2 gives [c b a b c b a]. */
    REFLECT,
    /** Repeat the edge: [a b c] padded by 2 gives [a a a b c c c]. */
    REPLICATE,
    /** Wrap around: [a b c] padded by 2 gives [b c a b c a b]. */
    CIRCULAR
}
