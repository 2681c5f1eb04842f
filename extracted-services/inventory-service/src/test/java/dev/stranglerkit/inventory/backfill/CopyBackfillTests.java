package dev.stranglerkit.inventory.backfill;

import org.springframework.test.context.TestPropertySource;

/**
 * The same checks with the copy ({@code inventory.backfill.method: copy}), for a monolith
 * database without logical decoding.
 */
@TestPropertySource(properties = "inventory.backfill.method=copy")
class CopyBackfillTests extends BackfillTests {

}
