"""Documents and photos on a page: a record's gallery, its downloads, and the staff's upload and removal forms.

What a reader sees is decided in :mod:`twinmap.reads.attachments` (public, or signed in and of
the record's home city); bytes are read only when a download is clicked.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from twinmap.core import reference
from twinmap.core.reference import N_
from twinmap.ingest import attachments, batches, uploads
from twinmap.reads import attachments as attached
from twinmap.ui import cache, widgets
from twinmap.ui.page import Page
from twinmap.views.labels import md_escape

PER_ROW = 4
UPLOAD_TYPES = ["pdf", "jpg", "jpeg", "png", "webp", "heic", "heif"]
STORED = N_("Stored as import #{batch}; it can be undone on the Data page.")


def listing(p: Page, to: attachments.Target) -> pd.DataFrame:
    """What this reader may see on the record (a partnership's list holds its events' too)."""
    who = attached.audience(p.user)
    ids = tuple((to.id,) if to.table == table else () for table in ("partnerships", "events", "missions"))
    return cache.attachments(who, *ids)


def agreement_button(p: Page, frame: pd.DataFrame, key: str) -> None:
    """The signed agreement, one click away, when one is on file and the reader may see it."""
    signed = frame[(frame["kind"] == "agreement") & frame["event_id"].isna() & frame["mission_id"].isna()]
    if signed.empty:
        return
    row = signed.iloc[0]
    _download(p, row, p.tr("Signed agreement ({name})", name=row["file_name"]), key, icon=":material/description:")


def thumbnails(p: Page, frame: pd.DataFrame, most: int = PER_ROW) -> None:
    """A row of the record's newest pictures (photos, and documents' first pages), with captions."""
    who = attached.audience(p.user)
    shown = frame[frame["has_thumbnail"]].head(most)
    for col, row in zip(st.columns(most), shown.itertuples(), strict=False):
        picture = cache.attachment_thumbnail(int(row.id), who)
        if picture:
            col.image(picture, caption=md_escape(_caption(row)), width="stretch")


def gallery(p: Page, frame: pd.DataFrame, key: str) -> None:
    """Every attachment the reader may see: picture, title, kind, date, who may see it, and its download."""
    _ = p.tr
    if frame.empty:
        st.caption(_("No documents or photos yet."))
        return
    who = attached.audience(p.user)
    for start in range(0, len(frame), PER_ROW):
        for col, row in zip(st.columns(PER_ROW), frame.iloc[start : start + PER_ROW].itertuples(), strict=False):
            with col:
                picture = cache.attachment_thumbnail(int(row.id), who) if row.has_thumbnail else None
                if picture:
                    st.image(picture, width="stretch")
                else:
                    st.markdown(":material/description:")
                st.markdown(f"**{md_escape(row.title)}**")
                st.caption(md_escape(_facts(p, row)))
                if row.caption or row.credit:
                    st.caption(md_escape(_caption(row)))
                _download(p, row._asdict(), _("Download"), f"{key}_{row.id}")


def _facts(p: Page, row: object) -> str:
    """Kind, date, size and who may see it, in the reader's words."""
    _ = p.tr
    parts = [_.term(reference.ATTACHMENT_KINDS, row.kind)]
    when = row.dated_on if isinstance(row.dated_on, pd.Timestamp | dt.date) else None
    if when is not None and not pd.isna(when):
        parts.append(_.date(when, "day"))
    parts.append(_.digits(uploads.size_text(row.size)))
    if p.signed_in:
        parts.append(_("public") if row.is_public else _("staff only"))
    return " · ".join(parts)


def _caption(row: object) -> str:
    caption = row.caption if isinstance(row.caption, str) else row.title
    return f"{caption} (© {row.credit})" if isinstance(row.credit, str) and row.credit else caption


def _download(p: Page, row: object, label: str, key: str, icon: str = ":material/download:") -> None:
    who = attached.audience(p.user)
    aid = int(row["id"])

    def data() -> bytes:
        found = attached.content(cache.connection(), aid, who)
        return found[2] if found else b""

    st.download_button(label, data, uploads.safe_name(str(row["file_name"])), str(row["media_type"]),
                       key=key, icon=icon, on_click="ignore")  # fmt: skip


def upload_form(p: Page, to: attachments.Target, key: str) -> None:
    """Staff add documents and photos to the record, one or many at once (drag and drop, or browse)."""
    _ = p.tr
    file_mb, record_mb = (n // 1_000_000 for n in attachments.limits())
    with st.form(f"{key}_form", clear_on_submit=True):
        files = st.file_uploader(_("Documents and photos"), type=UPLOAD_TYPES, accept_multiple_files=True,
                                 key=f"{key}_files",
                                 help=_("PDF documents and photos (JPEG, PNG, WebP, HEIC), up to {file} MB each and "
                                        "{record} MB per record. Photos are kept without their GPS position and "
                                        "camera details.", file=file_mb, record=record_mb))  # fmt: skip
        left, right = st.columns(2)
        kinds = reference.codes(reference.ATTACHMENT_KINDS)
        kind = left.selectbox(_("Kind"), kinds, index=None, placeholder=_("Photo or document, by the file"),
                              format_func=lambda c: _.term(reference.ATTACHMENT_KINDS, c),
                              key=f"{key}_kind")  # fmt: skip
        title = right.text_input(_("Title"), key=f"{key}_title", placeholder=_("The file's name"))
        dated = left.date_input(_("Date"), value=None, key=f"{key}_date")
        credit = right.text_input(_("Photo credit"), key=f"{key}_credit")
        caption = st.text_input(_("Caption"), key=f"{key}_caption")
        public = st.checkbox(_("The public may see these (the kiosk, the public report, open data)"),
                             key=f"{key}_public")  # fmt: skip
        if st.form_submit_button(_("Attach"), key=f"{key}_submit", icon=":material/attach_file:") and files:
            details = attachments.Details(kind, title, dated, public, caption, credit)
            _store(p, to, [(f.name, f.getvalue()) for f in files], details, key)


def _store(p: Page, to: attachments.Target, files: list[tuple[str, bytes]], details: attachments.Details,
           key: str) -> None:  # fmt: skip
    """Store the upload; say what happened above the gallery, which shows the new files at once."""
    _ = p.tr
    try:
        stored = attachments.attach(cache.connection(), files, to, details, p.user.name, p.user)
    except attachments.NotStored as err:
        return _flash(key, "error", "\n\n".join(err.said(_)))
    except batches.CommitFailed as err:
        return _flash(key, "error", _.told(err))
    said = [_(STORED, batch=stored.batch)] if stored.batch is not None else []
    if stored.already:
        said.append(_("Already on this record, not added again: {files}", files=", ".join(stored.already)))
    _flash(key, "success" if stored.batch is not None else "info", "\n\n".join(said))


def _flash(key: str, kind: str, text: str) -> None:
    """Keep a message for the next run and rerun, so the gallery above shows the change."""
    widgets.keep_message(key, kind, text)
    st.rerun()


def remove_form(p: Page, frame: pd.DataFrame, key: str) -> None:
    """Staff remove attachments (one batch; an undo on the Data page brings them back)."""
    _ = p.tr
    if frame.empty:
        return
    titles = {int(r.id): f"{r.title} ({r.file_name})" for r in frame.itertuples()}
    with st.form(f"{key}_remove_form", clear_on_submit=True):
        chosen = st.multiselect(_("Remove attachments"), list(titles), format_func=titles.get, key=f"{key}_remove",
                                placeholder=_("Choose attachments"))  # fmt: skip
        if st.form_submit_button(_("Remove"), key=f"{key}_remove_submit", icon=":material/delete:") and chosen:
            try:
                batch = attachments.remove(cache.connection(), chosen, p.user.name, p.user)
            except batches.CommitFailed as err:
                return _flash(key, "error", _.told(err))
            _flash(key, "success", _("Removed as import #{batch}; it can be undone on the Data page.", batch=batch))


def section(p: Page, to: attachments.Target, home: int | None, key: str) -> None:
    """A record's documents and photos, and for its home city's staff the forms to add and remove them."""
    frame = listing(p, to)
    widgets.kept_message(key)
    gallery(p, frame, key)
    if p.staff and (home is None or p.private_for(home)):
        upload_form(p, to, key)
        remove_form(p, frame, key)
