package io.supernode.gas.fabric;

import io.supernode.gas.fault.ConfigFault;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Link profiles are built field by field, and every build still passes the record's validation. */
class LinkProfileTest {

    @Test
    void everyBuiltInProfileRebuiltFromItsBuilderWithoutChangesIsEqual() {
        for (LinkProfile profile : LinkProfiles.all()) {
            assertEquals(profile, profile.toBuilder().build());
        }
    }

    @Test
    void theBuilderStillRejectsABadFieldWithAConfigFault() {
        ConfigFault fault = assertThrows(ConfigFault.class, () -> LinkProfiles.UB.toBuilder().lanes(0).build());
        assertEquals("link profile UB: lanes must be in 1..1024, got 0", fault.getMessage());
        assertThrows(ConfigFault.class, () -> LinkProfile.builder().name("X").build(), "a bandwidth must be given");
    }
}
