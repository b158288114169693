package org.mpft.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class AccessRulesTest {

    @Test
    void rulesCoverTheirPathAndBelowOnly() {
        AccessRules r = AccessRules.of(List.of("/pub", "docs/manuals/"), List.of("incoming"));
        assertThat(r.mayRead("pub")).isTrue();
        assertThat(r.mayRead("pub/a/b.iso")).isTrue();
        assertThat(r.mayRead("public")).isFalse();
        assertThat(r.mayRead("")).isFalse();
        assertThat(r.mayRead("docs")).isFalse();
        assertThat(r.mayRead("docs/manuals/x.pdf")).isTrue();
        assertThat(r.mayRead("incoming/x")).isFalse();
        assertThat(r.mayWrite("incoming/x")).isTrue();
        assertThat(r.mayWrite("pub/x")).isFalse();
    }

    @Test
    void foldersOnTheWayToARuleCanBeListed() {
        AccessRules r = AccessRules.of(List.of("docs/manuals"), List.of("up/load"));
        assertThat(r.mayList("")).isTrue();
        assertThat(r.mayList("docs")).isTrue();
        assertThat(r.mayList("docs/manuals")).isTrue();
        assertThat(r.mayList("docs/other")).isFalse();
        assertThat(r.mayList("up")).isTrue();
        assertThat(r.mayList("up/load")).isFalse(); // a drop box: write only
        assertThat(AccessRules.of(List.of(), List.of()).mayList("")).isFalse();
    }

    @Test
    void slashIsTheWholeHome() {
        AccessRules r = AccessRules.of(List.of("/"), List.of());
        assertThat(r.mayRead("")).isTrue();
        assertThat(r.mayRead("any/thing")).isTrue();
        assertThat(r.mayWrite("any")).isFalse();
        assertThat(AccessRules.WHOLE_HOME.mayWrite("x/y")).isTrue();
    }

    @Test
    void malformedRulesAreRefused() {
        for (String bad : List.of("..", "pub/../secret", "./pub", "a,b", "a\\b", "a\u0000b")) {
            assertThatThrownBy(() -> AccessRules.normalizeRule(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(AccessRules.normalizeRule("//a///b/")).isEqualTo("a/b");
    }
}
