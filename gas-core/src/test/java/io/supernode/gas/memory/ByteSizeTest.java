package io.supernode.gas.memory;

import io.supernode.gas.fault.ConfigFault;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ByteSizeTest {

    @Test
    void parsesBinaryAndDecimalUnits() {
        assertEquals(512, ByteSize.parse("512").bytes());
        assertEquals(4096, ByteSize.parse("4KiB").bytes());
        assertEquals(128L << 30, ByteSize.parse("128 GiB").bytes());
        assertEquals(1_500_000, ByteSize.parse("1.5MB").bytes());
        assertEquals(3L << 19, ByteSize.parse("1.5MiB").bytes());
        assertEquals(ByteSize.tib(48), ByteSize.parse("48TiB"));
    }

    @Test
    void badSizesNameTheText() {
        ConfigFault unit = assertThrows(ConfigFault.class, () -> ByteSize.parse("12XB"));
        assertTrue(unit.getMessage().contains("12XB"), unit.getMessage());
        assertThrows(ConfigFault.class, () -> ByteSize.parse("-4KiB"));
        assertThrows(ConfigFault.class, () -> ByteSize.parse(""));
        assertThrows(ConfigFault.class, () -> ByteSize.parse("1.3B"));
        assertThrows(ConfigFault.class, () -> ByteSize.parse("99999999TiB"));
    }

    @Test
    void formatsWithTheLargestUnit() {
        assertEquals("48 TiB", ByteSize.format(48L << 40));
        assertEquals("1.5 KiB", ByteSize.format(1536));
        assertEquals("100 B", ByteSize.format(100));
    }
}
