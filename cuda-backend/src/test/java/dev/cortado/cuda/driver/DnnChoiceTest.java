package dev.cortado.cuda.driver;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Which cuDNN find result runs: the choice is plain logic over the results, checked without a GPU. */
class DnnChoiceTest {
    private static final int OK = 0;
    private static final int NOT_SUPPORTED = 9;
    private static final int DEFAULT = 0;
    private static final int TENSOR_OP = 1;
    private static final int ALLOW_CONVERSION = 2;
    private static final int FMA = 3;

    private static final int NON_DETERMINISTIC = 0;
    private static final int DETERMINISTIC = 1;

    private static int choose(boolean tf32, int[] status, int[] math) {
        return Dnn.choose(tf32, false, status.length, i -> status[i], i -> math[i], i -> NON_DETERMINISTIC);
    }

    private static int chooseDeterministic(boolean tf32, int[] status, int[] math, int[] determinism) {
        return Dnn.choose(tf32, true, status.length, i -> status[i], i -> math[i], i -> determinism[i]);
    }

    @Test
    void withoutTf32TheFastestFmaResultRuns() {
        // Fastest first: a TF32 time, a default-math time (TF32 on Hopper), then the FMA ones.
        assertEquals(2, choose(false, new int[] {OK, OK, OK, OK}, new int[] {TENSOR_OP, DEFAULT, FMA, FMA}));
        assertEquals(3, choose(false, new int[] {OK, OK, NOT_SUPPORTED, OK}, new int[] {ALLOW_CONVERSION, DEFAULT, FMA, FMA}));
    }

    @Test
    void withoutAnFmaResultTheFastestNonTensorOpOneRuns() {
        assertEquals(1, choose(false, new int[] {OK, OK, OK}, new int[] {TENSOR_OP, DEFAULT, DEFAULT}));
        assertEquals(-1, choose(false, new int[] {OK, OK, NOT_SUPPORTED}, new int[] {TENSOR_OP, ALLOW_CONVERSION, FMA}));
        assertEquals(-1, choose(false, new int[0], new int[0]));
    }

    /** As torch.backends.cudnn.deterministic: a faster algorithm that adds with atomics is passed over. */
    @Test
    void deterministicOnlyPassesOverTheOthers() {
        int[] math = {FMA, FMA, FMA};
        assertEquals(0, choose(false, new int[] {OK, OK, OK}, math), "the fastest, off");
        assertEquals(1, chooseDeterministic(false, new int[] {OK, OK, OK}, math, new int[] {NON_DETERMINISTIC, DETERMINISTIC, DETERMINISTIC}));
        assertEquals(2, chooseDeterministic(false, new int[] {OK, NOT_SUPPORTED, OK}, math, new int[] {NON_DETERMINISTIC, DETERMINISTIC, DETERMINISTIC}));
        assertEquals(1, chooseDeterministic(false, new int[] {OK, OK}, new int[] {FMA, DEFAULT}, new int[] {NON_DETERMINISTIC, DETERMINISTIC}),
                "a deterministic default-math result before a non-deterministic FMA one");
        assertEquals(0, chooseDeterministic(true, new int[] {OK, OK}, new int[] {TENSOR_OP, FMA}, new int[] {DETERMINISTIC, NON_DETERMINISTIC}));
        assertEquals(-1, chooseDeterministic(false, new int[] {OK}, new int[] {FMA}, new int[] {NON_DETERMINISTIC}));
    }

    @Test
    void withTf32TheFastestSuccessfulResultRuns() {
        assertEquals(0, choose(true, new int[] {OK, OK}, new int[] {TENSOR_OP, FMA}));
        assertEquals(1, choose(true, new int[] {NOT_SUPPORTED, OK}, new int[] {DEFAULT, FMA}));
    }
}
