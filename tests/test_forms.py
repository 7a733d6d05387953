"""Forms go through the import pipeline: validated, recorded as a batch, undoable."""

import datetime as dt

from twinmap.ingest import batches, forms
from twinmap.reads import queries

TODAY = dt.date(2026, 11, 23)


def _aktau(con):
    frame = queries.partnerships(con, queries.PartnershipFilter(), TODAY)
    return frame[frame["partner_name"] == "Aktau"].iloc[0].to_dict()


def test_a_follow_up_from_a_form_is_a_batch_that_can_be_undone(con):
    keys = forms.partnership_keys(_aktau(con))
    values = {**keys, "action": 'Send =HYPERLINK("x") letter', "due_on": "2026-12-31", "status": "open"}
    plan, batch = forms.submit(con, "follow_ups", values, "editor1", "follow-up")
    assert plan.ok and batch is not None
    stored = con.execute("SELECT action FROM follow_ups WHERE action LIKE 'Send =%'").fetchone()
    assert stored == ('Send =HYPERLINK("x") letter',)  # kept as typed, never run
    assert batches.history(con).iloc[0]["file_name"] == "form: follow-up"
    batches.undo(con, batch, "editor1")
    assert con.execute("SELECT count(*) FROM follow_ups WHERE action LIKE 'Send =%'").fetchone() == (0,)


def test_a_bad_form_row_is_refused_with_the_field_and_nothing_changes(con):
    keys = forms.partnership_keys(_aktau(con))
    before = con.execute("SELECT count(*) FROM follow_ups").fetchone()
    plan, batch = forms.submit(con, "follow_ups", {**keys, "action": "x", "due_on": "31/31/2026", "status": "open"},
                               "editor1", "follow-up")  # fmt: skip
    assert batch is None and [p.column for p in plan.errors] == ["due_on"]
    assert con.execute("SELECT count(*) FROM follow_ups").fetchone() == before
