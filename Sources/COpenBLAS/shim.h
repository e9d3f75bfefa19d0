// OpenBLAS (Debian libopenblas-dev): single-precision matrix products for NeuralNetwork.
#include <cblas.h>
