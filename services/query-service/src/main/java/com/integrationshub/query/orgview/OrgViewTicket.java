package com.integrationshub.query.orgview;

import com.integrationshub.query.view.ViewChanges;

/** Taken before an org view is read from the stores: how many changes the views had, and their epoch. */
record OrgViewTicket(long changes, long epoch) {

    static OrgViewTicket take(ViewChanges views) {
        long epoch = views.epoch();
        return new OrgViewTicket(views.changes(), epoch);
    }
}
