package dev.cortado.nn;

import dev.cortado.autograd.GradMode;
import dev.cortado.tensor.Cortado;
import dev.cortado.tensor.DType;
import dev.cortado.tensor.Device;
import dev.cortado.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static dev.cortado.testing.Inputs.assertClose;
import static dev.cortado.testing.Inputs.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Embedding on the CPU, against PyTorch 1.13's values and gradients for the same weights. */
class EmbeddingTest {
    @BeforeAll
    static void cpu() {
        Cortado.setDefaultDevice(Device.CPU);
    }

    @Test
    void rowsAndGradientsAsPyTorch() {
        Embedding e = new Embedding(5, 3, 1);
        assertEquals("Embedding(5, 3, padding_idx=1)", e.toString());
        assertArrayEquals(new double[] {0, 0, 0}, e.weight.select(0, 1).toDoubleArray(), "the padding row starts at 0");
        try (var off = GradMode.off()) {
            e.weight.copy_(Tensor.arange(15).to(DType.FLOAT32).reshape(5, 3).div(10));
            e.weight.select(0, 1).fill_(0);
        }
        Tensor y = e.forward(Tensor.tensor(new long[][] {{0, 1}, {4, 1}, {0, 2}}));
        assertArrayEquals(new int[] {3, 2, 3}, y.shape());
        assertClose("rows", y.reshape(-1), Tensor.fromArray(new double[] {0, 0.1, 0.2, 0, 0, 0, 1.2, 1.3, 1.4, 0, 0, 0, 0, 0.1, 0.2, 0.6, 0.7,
                0.8}), 1e-7);
        y.mul(Tensor.arange(18).to(DType.FLOAT32).reshape(3, 2, 3)).sum().backward();
        assertClose("weight gradient: repeated rows add up, the padding row gets none", e.weight.grad().reshape(-1),
                Tensor.fromArray(new double[] {12, 14, 16, 0, 0, 0, 15, 16, 17, 0, 0, 0, 6, 7, 8}), 0);
        assertEquals("Embedding(5, 3)", new Embedding(5, 3).toString());
        assertEquals("Embedding(5, 3, padding_idx=4)", new Embedding(5, 3, -1).toString());
    }

    @Test
    void errors() {
        Embedding e = new Embedding(5, 3);
        assertMessage(() -> e.forward(Tensor.tensor(new long[] {5})), "indexSelect: index 5 is out of bounds for dimension 0 with size 5");
        assertMessage(() -> e.forward(Tensor.fromArray(new double[] {1})), "Embedding(5, 3): indices must be int64, got float32");
        assertMessage(() -> new Embedding(5, 3, 5), "Embedding: padding_idx must be within num_embeddings (5), got 5");
        assertMessage(() -> new Embedding(0, 3), "Embedding: num_embeddings and embedding_dim must be positive");
    }

    @Test
    void fromPretrainedSharesTheTableAndFreezesIt() {
        Tensor table = Tensor.arange(12).to(dev.cortado.tensor.DType.FLOAT32).reshape(4, 3);
        Embedding frozen = Embedding.fromPretrained(table, true, null);
        Tensor idx = Tensor.fromArray(new long[] {2, 0}, 2);
        assertClose("rows of the table", frozen.forward(idx), Tensor.fromArray(new float[] {6, 7, 8, 0, 1, 2}, 2, 3), 0);
        org.junit.jupiter.api.Assertions.assertFalse(frozen.weight.requiresGrad(), "freeze=True");
        table.select(0, 0).fill_(-1);
        assertClose("shares the table's storage, as PyTorch's Parameter(_weight)", frozen.forward(idx).select(0, 1),
                Tensor.fromArray(new float[] {-1, -1, -1}, 3), 0);
        Embedding trained = Embedding.fromPretrained(Tensor.ones(3, 2), false, 1);
        trained.forward(Tensor.fromArray(new long[] {1, 2, 1}, 3)).sum().backward();
        assertClose("the padding row keeps its value and gets no gradient", trained.weight.grad(),
                Tensor.fromArray(new float[] {0, 0, 0, 0, 1, 1}, 3, 2), 0);
        assertClose("padding row not zeroed", trained.weight.select(0, 1).detach(), Tensor.ones(2), 0);
        assertMessage(() -> Embedding.fromPretrained(Tensor.ones(3), true, null), "Embedding.fromPretrained: embeddings parameter is expected to be a 2-dimensional");
    }

    @Test
    void anIndexOutOfTheTableIsRefusedByTheLayersName() {
        Embedding e = new Embedding(5, 3);
        assertMessage(() -> e.forward(Tensor.fromArray(new long[] {0, 5}, 2)),
                "Embedding(5, 3): indices must be in 0..4 (indexSelect: index 5 is out of bounds for dimension 0 with size 5)");
        assertMessage(() -> e.forward(Tensor.fromArray(new long[] {-6}, 1)), "Embedding(5, 3): indices must be in 0..4");
    }
}
