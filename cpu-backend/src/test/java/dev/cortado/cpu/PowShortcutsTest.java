package dev.cortado.cpu;

import dev.cortado.tensor.Device;
import dev.cortado.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * pow with the exponents PyTorch computes by shortcut (x·x·x, sqrt, 1/sqrt, 1/x, 1/(x·x)) gives
 * PyTorch 1.13's bits on the CPU; a correctly rounded power differs from them in about a quarter
 * of the values for 3, -0.5 and -2, and the values here were picked among those.
 */
class PowShortcutsTest {
    private static final float[] X = {0.009999999776482582f, 0.9464729428291321f, 2.6591808795928955f, 4.986199378967285f, 1.8180772066116333f,
        4.4884934425354f, 4.989404678344727f, 4.816376209259033f, 4.825654983520508f, 4.473237991333008f, 4.503540992736816f, 4.992378234863281f};

    private static void bits(double exponent, float... expected) {
        float[] got = Tensor.fromArray(X, new int[] {X.length}, Device.CPU).pow(exponent).toFloatArray();
        for (int i = 0; i < X.length; i++) {
            assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(got[i]), "pow(" + X[i] + ", " + exponent + "): " + got[i]
                    + " vs PyTorch's " + expected[i]);
        }
    }

    @Test
    void shortcutExponentsGivePyTorchsBits() {
        bits(3, 9.999999974752427e-07f, 0.8478608727455139f, 18.803712844848633f, 123.96781158447266f, 6.009480953216553f, 90.42776489257812f,
                124.20703125f, 111.72779083251953f, 112.37476348876953f, 89.50885009765625f, 91.34028625488281f, 124.42923736572266f);
        bits(0.5, 0.10000000149011612f, 0.9728683829307556f, 1.6306995153427124f, 2.2329800128936768f, 1.3483608961105347f, 2.1186065673828125f,
                2.2336976528167725f, 2.194624423980713f, 2.196737289428711f, 2.1150031089782715f, 2.122154712677002f, 2.234363079071045f);
        bits(-0.5, 10.0f, 1.027888298034668f, 0.613233745098114f, 0.44783204793930054f, 0.7416412234306335f, 0.4720083475112915f,
                0.44768816232681274f, 0.45565882325172424f, 0.4552205801010132f, 0.4728125333786011f, 0.47121918201446533f, 0.4475548267364502f);
        bits(-1, 100.0f, 1.0565541982650757f, 0.37605565786361694f, 0.2005535513162613f, 0.5500316619873047f, 0.2227919101715088f,
                0.20042471587657928f, 0.20762497186660767f, 0.2072257548570633f, 0.2235517054796219f, 0.22204749286174774f, 0.20030534267425537f);
        bits(-2, 10000.0f, 1.1163069009780884f, 0.14141786098480225f, 0.04022172838449478f, 0.302534818649292f, 0.04963622987270355f,
                0.04017006605863571f, 0.04310813173651695f, 0.04294251650571823f, 0.04997536912560463f, 0.04930509254336357f, 0.04012222960591316f);
    }
}
