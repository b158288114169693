package org.mpft.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DocSectionTest {

    @Test
    void replacesOnlyBetweenTheMarkers() {
        String doc = "# Benchmarks\nhand-written\n" + DocSection.BEGIN + "\nold table\n" + DocSection.END + "\nafter\n";

        String updated = DocSection.replace(doc, "| new |");

        assertThat(updated).isEqualTo("# Benchmarks\nhand-written\n" + DocSection.BEGIN + "\n\n| new |\n\n"
                + DocSection.END + "\nafter\n");
        assertThat(DocSection.replace(updated, "| new |")).isEqualTo(updated);
    }

    @Test
    void refusesADocumentWithoutMarkers() {
        assertThatThrownBy(() -> DocSection.replace("no markers", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DocSection.replace(DocSection.END + DocSection.BEGIN, "x"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
