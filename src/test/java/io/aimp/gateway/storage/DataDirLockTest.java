package io.aimp.gateway.storage;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirLockTest {

    @Test
    void should_refuse_a_second_gateway_on_the_same_data_dir_and_allow_one_after_release(@TempDir Path dir) throws Exception {
        try (DataDirLock first = DataDirLock.acquire(dir)) {
            assertThatThrownBy(() -> DataDirLock.acquire(dir))
                    .isInstanceOf(DataDirLock.InUse.class)
                    .hasMessageContaining("aimp.data-dir (AIMP_DATA_DIR)")
                    .hasMessageContaining("one process");
        }
        DataDirLock.acquire(dir).close();
    }
}
