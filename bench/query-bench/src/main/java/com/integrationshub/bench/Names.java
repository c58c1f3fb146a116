package com.integrationshub.bench;

/** The names the benchmark loads: integrations {@code bench-int-0..} and orgs {@code org-00000..}. */
record Names(int integrations, int orgs) {

    /** The i-th integration's name. */
    String integration(int i) {
        return "bench-int-" + i;
    }

    /** The i-th org's id. */
    String org(int i) {
        return String.format("org-%05d", i);
    }
}
