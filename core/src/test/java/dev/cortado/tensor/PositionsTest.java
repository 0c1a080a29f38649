package dev.cortado.tensor;

import dev.cortado.testing.OnReference;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

class PositionsTest extends OnReference {
    @Test
    void shortRangesAreMadeOncePerDeviceLongOnesEachTime() {
        Device d = Cortado.defaultDevice();
        Tensor five = Positions.upTo(5, d);
        assertArrayEquals(new long[] {0, 1, 2, 3, 4}, five.toLongArray());
        assertSame(five, Positions.upTo(5, d));
        Tensor other = Positions.upTo(5, new Device(d.type(), d.index() + 1));
        assertNotSame(five, other);
        assertEquals(other.device(), new Device(d.type(), d.index() + 1));
        Tensor big = Positions.upTo(70_000, d);
        assertNotSame(big, Positions.upTo(70_000, d));
        assertEquals(69_999, big.toLongArray()[69_999]);
    }

    /** max(dim)'s gradient goes to the first extreme along any length of dim, kept positions or not. */
    @Test
    void maxAlongALongDimSendsTheGradientToItsIndex() {
        float[] v = new float[2 * 70_000];
        v[12_345] = 5;
        v[70_000 + 69_999] = 7;
        Tensor x = Tensor.fromArray(v, 2, 70_000).requiresGrad_(true);
        x.max(1, false).values().sum().backward();
        float[] g = x.grad().toFloatArray();
        assertEquals(1, g[12_345]);
        assertEquals(1, g[70_000 + 69_999]);
        assertEquals(2, x.grad().sum().item(), 0);
    }
}
