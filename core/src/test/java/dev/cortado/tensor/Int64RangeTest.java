package dev.cortado.tensor;

import dev.cortado.testing.OnReference;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Core knows the range of int64 values it filled from the host, and forgets it at the first write. */
class Int64RangeTest extends OnReference {
    private static final Device OTHER = new Device("reference", 1);

    @Test
    void valuesFromTheHostAreKnownThroughViewsAndUploads() {
        Tensor t = Tensor.fromArray(new long[] {3, 0, 9, 4}, new int[] {4});
        assertTrue(Int64Range.knownWithin(t, 0, 10));
        assertFalse(Int64Range.knownWithin(t, 0, 9), "9 is not below 9");
        assertFalse(Int64Range.knownWithin(t, 1, 10), "0 is below 1");
        assertTrue(Int64Range.knownWithin(t.reshape(2, 2).unsqueeze(0), 0, 10), "views share the storage");
        assertTrue(Int64Range.knownWithin(t.to(OTHER), 0, 10), "an upload fills from the host");
    }

    @Test
    void computedFloatAndEmptyTensorsAreUnknown() {
        Tensor t = Tensor.fromArray(new long[] {1, 2}, new int[] {2});
        assertFalse(Int64Range.knownWithin(t.add(1), 0, 100), "a computed tensor");
        assertFalse(Int64Range.knownWithin(Tensor.tensor(new float[] {1, 2}), 0, 100), "float32");
        assertFalse(Int64Range.knownWithin(Tensor.fromArray(new long[0], new int[] {0}), 0, 100), "nothing was seen");
    }

    @Test
    void anyInPlaceWriteForgetsTheRange() {
        Tensor a = Tensor.fromArray(new long[] {1, 2}, new int[] {2});
        a.add_(100);
        assertFalse(Int64Range.knownWithin(a, 0, 1000));
        Tensor b = Tensor.fromArray(new long[] {1, 2}, new int[] {2});
        b.reshape(1, 2).fill_(7);
        assertFalse(Int64Range.knownWithin(b, 0, 1000), "a write through a view");
        Tensor c = Tensor.fromArray(new long[] {1, 2}, new int[] {2});
        c.copy_(Tensor.fromArray(new long[] {5, 6}, new int[] {2}));
        assertFalse(Int64Range.knownWithin(c, 0, 1000));
        Tensor d = Tensor.fromArray(new long[] {1, 2}, new int[] {2});
        d.mul_(3);
        assertFalse(Int64Range.knownWithin(d, 0, 1000));
    }
}
