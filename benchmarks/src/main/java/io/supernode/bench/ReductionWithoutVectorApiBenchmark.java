package io.supernode.bench;

/**
 * The reduction kernel as it runs in a JVM without the Vector API (the default): fp32 through heap blocks,
 * bf16 element by element.
 */
public class ReductionWithoutVectorApiBenchmark extends ReductionKernels {

    @Override
    boolean withVectorApi() {
        return false;
    }
}
