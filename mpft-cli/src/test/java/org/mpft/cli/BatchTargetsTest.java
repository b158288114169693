package org.mpft.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class BatchTargetsTest {

    @Test
    void sourcesOnOneServerGiveTheirPaths() throws Exception {
        BatchTargets direct = BatchTargets.parse(List.of("a@h:7300:x/*.gz", "a@h:7300:/y", "a@h:7300:z/"), true);
        assertThat(direct.ssh()).isNull();
        assertThat(direct.direct().port()).isEqualTo(7300);
        assertThat(direct.paths()).containsExactly("x/*.gz", "y", "z");
        BatchTargets ssh = BatchTargets.parse(List.of("a@h:x", "a@h:y"), true);
        assertThat(ssh.ssh().host()).isEqualTo("h");
        assertThat(ssh.paths()).containsExactly("x", "y");
        assertThat(BatchTargets.parse(List.of("a@h:x"), false).direct().port()).as("--direct").isEqualTo(7300);
    }

    @Test
    void aPatternIsLookedForInThePathOnly() {
        assertThat(BatchTargets.hasPattern("a@h:logs/*.gz")).isTrue();
        assertThat(BatchTargets.hasPattern("a@[::1]:7300:logs/x[0-9].gz")).isTrue();
        assertThat(BatchTargets.hasPattern("a@[::1]:7300:logs/x.gz")).as("the brackets of an IPv6 host").isFalse();
        assertThat(BatchTargets.hasPattern("a@h:7300:a[b")).isFalse();
        assertThat(BatchTargets.hasPattern("not a target")).isFalse();
    }

    @Test
    void twoServersOrFormsAreRefused() {
        for (List<String> sources : List.of(List.of("a@h:7300:x", "a@g:7300:y"), List.of("a@h:7300:x", "b@h:7300:y"),
                List.of("a@h:x", "a@h:7300:y"), List.of("a@h:x", "h:y"))) {
            assertThatThrownBy(() -> BatchTargets.parse(sources, true)).as(sources.toString())
                    .isInstanceOf(BatchTargets.Mixed.class).hasMessageStartingWith("one server per run");
        }
    }
}
