package io.duetdb.server.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class SessionTableTest {
    @Test
    void aWriteIdAppliesOnceAndIsRememberedForAWindow() {
        final SessionTable t = new SessionTable();
        assertEquals(SessionTable.Verdict.APPLY, t.check(1, 1, 1).verdict());
        t.record(1, 1, 1, 10);
        assertEquals(new SessionTable.Check(SessionTable.Verdict.DUPLICATE, 10), t.check(1, 1, 1));
        assertEquals(SessionTable.Verdict.APPLY, t.check(1, 2, 1).verdict(), "another client");
        for (long seq = 2; seq <= SessionTable.WINDOW + 1; seq++) {
            t.record(1, 1, seq, 10 + seq);
        }
        assertEquals(SessionTable.Verdict.EXPIRED, t.check(1, 1, 1).verdict(), "pushed out of the window");
        assertEquals(new SessionTable.Check(SessionTable.Verdict.DUPLICATE, 12), t.check(1, 1, 2));
        assertEquals(SessionTable.Verdict.APPLY, t.check(1, 1, SessionTable.WINDOW + 2).verdict());
    }

    @Test
    void beyondTheSessionLimitTheLeastRecentlyWrittenIsForgotten() {
        final SessionTable t = new SessionTable();
        for (int c = 0; c < SessionTable.MAX_SESSIONS; c++) {
            t.record(7, c, 1, 100 + c);
        }
        t.record(7, 0, 2, 1_000_000); // session 0 wrote last: session 1 is now the oldest
        t.record(8, 0, 1, 1_000_001);
        assertEquals(SessionTable.MAX_SESSIONS, t.size());
        assertEquals(SessionTable.Verdict.APPLY, t.check(7, 1, 1).verdict(), "session 1 was evicted");
        assertEquals(SessionTable.Verdict.DUPLICATE, t.check(7, 0, 1).verdict());
        assertEquals(SessionTable.Verdict.DUPLICATE, t.check(7, 2, 1).verdict());
    }

    @Test
    void theTableSurvivesWriteAndRead() throws IOException {
        final SessionTable t = new SessionTable();
        for (long seq = 1; seq <= SessionTable.WINDOW + 20; seq++) {
            t.record(3, 4, seq, seq * 2);
        }
        t.record(5, 6, 9, 99);
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        t.writeTo(new DataOutputStream(bytes));
        final SessionTable back = SessionTable.readFrom(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        assertEquals(2, back.size());
        assertEquals(new SessionTable.Check(SessionTable.Verdict.DUPLICATE, 99), back.check(5, 6, 9));
        assertEquals(SessionTable.Verdict.EXPIRED, back.check(3, 4, 20).verdict());
        assertEquals(new SessionTable.Check(SessionTable.Verdict.DUPLICATE, (SessionTable.WINDOW + 20) * 2L),
            back.check(3, 4, SessionTable.WINDOW + 20));
        back.record(3, 4, SessionTable.WINDOW + 21, 1000);
        assertEquals(SessionTable.Verdict.EXPIRED, back.check(3, 4, 21).verdict(), "the ring continues in order");
    }
}
