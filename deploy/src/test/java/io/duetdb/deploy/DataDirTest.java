package io.duetdb.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirTest {
    @TempDir
    Path volume;

    @Test
    void aMissingOrFreshVolumeHoldsNoState() throws IOException {
        final Path data = volume.resolve("data");
        assertFalse(DataDir.holdsState(data));
        Files.createDirectories(data.resolve("lost+found"));
        DataDir.writeMarker(data, StartMode.JOIN);
        Files.writeString(data.resolve(DataDir.MARKER + ".tmp"), "initial\n"); // a start that died mid-write
        assertFalse(DataDir.holdsState(data), "lost+found and the marker are not node state");
        Files.createDirectories(data.resolve("raft"));
        assertTrue(DataDir.holdsState(data));
    }

    @Test
    void theMarkerRoundTripsAndIsReplaced() throws IOException {
        final Path data = volume.resolve("data");
        assertEquals(Optional.empty(), DataDir.readMarker(data));
        DataDir.writeMarker(data, StartMode.INITIAL);
        assertEquals(Optional.of(StartMode.INITIAL), DataDir.readMarker(data));
        DataDir.writeMarker(data, StartMode.JOIN);
        assertEquals(Optional.of(StartMode.JOIN), DataDir.readMarker(data));
        assertEquals("join\n", Files.readString(data.resolve(DataDir.MARKER)));
        assertFalse(Files.exists(data.resolve(DataDir.MARKER + ".tmp")));
    }

    @Test
    void aForeignMarkerStopsTheStartInsteadOfBeingGuessed() throws IOException {
        Files.writeString(volume.resolve(DataDir.MARKER), "bootstrap\n");
        final IOException e = assertThrows(IOException.class, () -> DataDir.readMarker(volume));
        assertTrue(e.getMessage().contains("'bootstrap'"), e.getMessage());
        Files.writeString(volume.resolve(DataDir.MARKER), "x".repeat(1000));
        assertThrows(IOException.class, () -> DataDir.readMarker(volume));
    }
}
