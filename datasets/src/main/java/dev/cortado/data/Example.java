package dev.cortado.data;

import dev.cortado.tensor.Tensor;

/** One labelled sample: an input tensor (e.g. an image (C, H, W)) and its class index. */
public record Example(Tensor input, long label) {
}
