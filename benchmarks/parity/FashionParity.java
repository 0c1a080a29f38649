import dev.cortado.data.*;
import dev.cortado.examples.models.FashionConvNet;
import dev.cortado.io.SafeTensors;
import dev.cortado.nn.*;
import dev.cortado.optim.SGD;
import dev.cortado.tensor.Tensor;
import java.nio.file.Path;
import java.util.*;

/**
 * The Cortado side of benchmarks/parity/fashion_torch.py: loads its initial weights and batch
 * order, trains the same steps, prints every loss, then the accuracy on the first 1,000 test
 * images (the script's validation set). Runs as a single source file:
 * {@code java --add-modules jdk.incubator.vector -cp "examples/target/classes:examples/target/lib/*"
 * benchmarks/parity/FashionParity.java SEED STEPS DATA_DIR INIT_DIR}
 */
public class FashionParity {
    public static void main(String[] a) throws Exception {
        int seed = Integer.parseInt(a[0]), steps = Integer.parseInt(a[1]);
        var tr = Transforms.toTensor().andThen(Transforms.normalize(0.5, 0.5));
        Mnist ds = Mnist.load(Mnist.Kind.FASHION_MNIST, Path.of(a[2]), true, false, tr);
        var st = SafeTensors.read(Path.of(a[3], "init" + seed + ".safetensors")).tensors();
        long[] order = st.get("order").toLongArray();
        Map<String, Tensor> w = new HashMap<>(st); w.remove("order");
        FashionConvNet m = new FashionConvNet();
        m.loadStateDict(w, true);
        SGD opt = new SGD(m.parameters(), 0.1, 0.9);
        StringBuilder sb = new StringBuilder("[");
        for (int s = 0; s < steps; s++) {
            int e = s / 20, j = s % 20; int from = j * 512, to = Math.min((j + 1) * 512, 10000);
            List<Tensor> xs = new ArrayList<>(); long[] ys = new long[to - from];
            for (int i = from; i < to; i++) { Example ex = ds.get((int) order[e * 10000 + i]); xs.add(ex.input()); ys[i - from] = ex.label(); }
            Tensor x = Tensor.stack(xs, 0), y = Tensor.fromArray(ys, ys.length);
            opt.zeroGrad();
            Tensor l = F.crossEntropy(m.forward(x), y);
            l.backward(); opt.step();
            sb.append(String.format(Locale.ROOT, "%.5f, ", l.item()));
        }
        System.out.println(sb.append("]"));
        Mnist test = Mnist.load(Mnist.Kind.FASHION_MNIST, Path.of(a[2]), false, false, tr);
        List<Tensor> xs = new ArrayList<>(); long[] ys = new long[1000];
        for (int i = 0; i < 1000; i++) { Example ex = test.get(i); xs.add(ex.input()); ys[i] = ex.label(); }
        m.eval();
        try (var off = dev.cortado.autograd.GradMode.off()) {
            double acc = m.forward(Tensor.stack(xs, 0)).argmax(1, false).eq(Tensor.fromArray(ys, 1000)).mean().item() * 100;
            System.out.println(String.format(Locale.ROOT, "{\"seed\": %d, \"steps\": %d, \"valid_acc\": %.2f}", seed, steps, acc));
        }
    }
}
