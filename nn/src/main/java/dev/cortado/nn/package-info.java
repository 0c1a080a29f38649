/** Neural-network modules, layers and losses (Module, Conv2d, Linear, BatchNorm, ...). */
package dev.cortado.nn;
