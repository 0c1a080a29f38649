import dev.cortado.data.Batch;
import dev.cortado.data.DataLoader;
import dev.cortado.data.Mnist;
import dev.cortado.data.Transforms;
import dev.cortado.examples.models.LeNet;
import dev.cortado.nn.CrossEntropyLoss;
import dev.cortado.optim.SGD;
import dev.cortado.tensor.Cortado;
import dev.cortado.tensor.MemoryScope;
import dev.cortado.tensor.Tensor;
import java.nio.file.Path;

/**
 * Cortado's side of benchmarks/parity/seeded-lenet.sh: the notebook's LeNet on MNIST from
 * {@code Cortado.manualSeed(SEED)}, shuffled by a loader seeded with SEED, SGD with momentum;
 * prints one loss per step. Runs as a single source file:
 * {@code java --add-modules jdk.incubator.vector -cp "examples/target/classes:examples/target/lib/*"
 * benchmarks/parity/SeededLeNet.java SEED STEPS DATA_DIR}
 */
public class SeededLeNet {
    public static void main(String[] a) throws Exception {
        long seed = Long.parseLong(a[0]);
        int steps = Integer.parseInt(a[1]);
        Cortado.setNumThreads(1);
        Mnist train = Mnist.load(Mnist.Kind.MNIST, Path.of(a[2], "mnist"), true, false,
                Transforms.toTensor().andThen(Transforms.normalize(0.1307, 0.3081)));
        Cortado.manualSeed(seed);
        LeNet model = new LeNet();
        DataLoader loader = new DataLoader(train, DataLoader.Options.batch(128).shuffle(true).seed(seed));
        SGD opt = new SGD(model.parameters(), 0.01, 0.9);
        CrossEntropyLoss loss = new CrossEntropyLoss();
        int done = 0;
        while (done < steps) {
            for (Batch b : loader) {
                try (var scope = MemoryScope.open()) {
                    opt.zeroGrad();
                    Tensor l = loss.forward(model.call(b.inputs()), b.labels());
                    l.backward();
                    opt.step();
                    System.out.println(l.item());
                }
                if (++done == steps) {
                    break;
                }
            }
        }
    }
}
