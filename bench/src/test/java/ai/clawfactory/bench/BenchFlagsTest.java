package ai.clawfactory.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BenchFlagsTest {

    @Test
    void withoutMemorySettingsKeepsEveryOtherFlag() {
        String unit = "-Xms16m -Xmx256m -XX:MinHeapFreeRatio=5 -XX:MaxHeapFreeRatio=20 -XX:+UseSerialGC -Xshare:auto "
                + "-Dio.netty.allocator.type=unpooled -Dio.grpc.netty.shaded.io.netty.allocator.type=unpooled";
        assertEquals("-Xms32m -Xmx256m -XX:+UseSerialGC -Xshare:auto", Bench.withoutMemorySettings(unit));
    }
}
