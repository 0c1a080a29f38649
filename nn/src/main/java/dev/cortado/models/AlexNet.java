package dev.cortado.models;

import dev.cortado.nn.AdaptiveAvgPool2d;
import dev.cortado.nn.Conv2d;
import dev.cortado.nn.Dropout;
import dev.cortado.nn.Linear;
import dev.cortado.nn.MaxPool2d;
import dev.cortado.nn.ReLU;
import dev.cortado.nn.Sequential;
import dev.cortado.tensor.ConvOptions;

import java.io.IOException;

/**
 * torchvision's {@code AlexNet} (the "one weird trick" variant torchvision ships): five
 * convolutions with ReLU and three max pools in {@code features}, a 6×6 adaptive average pool, and
 * {@code classifier} with dropout; PyTorch's default initialisation.
 */
public final class AlexNet extends PooledClassifier {
    public AlexNet() {
        this(1000, 0.5);
    }

    public AlexNet(int numClasses, double dropout) {
        checkClasses("AlexNet", numClasses);
        super("AlexNet", new Sequential(
                new Conv2d(3, 64, 11, 11, ConvOptions.DEFAULT.stride(4).padding(2), true), new ReLU(), new MaxPool2d(3, 2, 0),
                new Conv2d(64, 192, 5, 5, ConvOptions.DEFAULT.padding(2), true), new ReLU(), new MaxPool2d(3, 2, 0),
                new Conv2d(192, 384, 3, 3, ConvOptions.DEFAULT.padding(1), true), new ReLU(),
                new Conv2d(384, 256, 3, 3, ConvOptions.DEFAULT.padding(1), true), new ReLU(),
                new Conv2d(256, 256, 3, 3, ConvOptions.DEFAULT.padding(1), true), new ReLU(), new MaxPool2d(3, 2, 0)),
                new AdaptiveAvgPool2d(6, 6),
                new Sequential(new Dropout(dropout), new Linear(256 * 6 * 6, 4096), new ReLU(), new Dropout(dropout), new Linear(4096, 4096),
                        new ReLU(), new Linear(4096, numClasses)));
    }


    public static AlexNet alexnet(Weights weights) throws IOException {
        return weights.loadInto(new AlexNet(), "alexnet");
    }
}
