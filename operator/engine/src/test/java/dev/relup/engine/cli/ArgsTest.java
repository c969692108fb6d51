package dev.relup.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ArgsTest {

    @Test
    void parsesCommandAndOptions() throws Exception {
        Args a = Args.parse(new String[] {"install", "--node", "t@127.0.0.1", "--package", "/p.tar.gz"});
        assertEquals("install", a.command());
        assertEquals("t@127.0.0.1", a.required("node"));
        assertEquals("/p.tar.gz", a.only("node", "package", "cookie").required("package"));
    }

    @Test
    void rejectsBadShapes() {
        assertThrows(Relupctl.UsageException.class, () -> Args.parse(new String[] {}));
        assertThrows(Relupctl.UsageException.class, () -> Args.parse(new String[] {"status", "--node"}));
        assertThrows(Relupctl.UsageException.class, () -> Args.parse(new String[] {"status", "node", "x"}));
        assertThrows(Relupctl.UsageException.class,
                () -> Args.parse(new String[] {"status", "--node", "a", "--node", "b"}));
        assertThrows(Relupctl.UsageException.class,
                () -> Args.parse(new String[] {"status", "--nod", "a"}).only("node", "cookie"));
        assertThrows(Relupctl.UsageException.class,
                () -> Args.parse(new String[] {"status"}).required("node"));
    }
}
