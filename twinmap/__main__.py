"""Command line: ``python -m twinmap COMMAND``; ``--help`` lists the commands and what each does.

``serve`` runs the app; ``import``, ``map``, ``template``, ``history`` and ``undo`` are for files;
``export`` and ``publish`` give open data; ``digest`` and ``report`` the leaders' reading; ``backup``
and ``restore`` the store; ``password`` and ``sign-ins`` users; ``attach`` and ``attachments`` documents.

Uses the database that ``TWINMAP_DB`` names, as the app does. Exit codes: 0 done (or valid,
with ``--dry-run``); 1 rejected or refused, nothing changed; 2 usage error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import json
import smtplib
import sys
from pathlib import Path

import duckdb

from twinmap.core import config, files, mail, reference
from twinmap.core.reference import Explained
from twinmap.core.text import printable, quoted
from twinmap.ingest import attachments, batches, exporter, importer, mapping, readers, seed, uploads
from twinmap.ingest.specs import TABLES
from twinmap.reads import attachments as attached
from twinmap.reads import digest, opendata, queries, report
from twinmap.store import auth, backup, db, desk, postgres, transfer
from twinmap.views import datapackage, i18n
from twinmap.views import digest_mail as maildigest
from twinmap.views import report_pdf as printed


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m twinmap", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    srv = sub.add_parser("serve", help="run the app server (streamlit run app.py), ready: the first reads made "
                                       "before it opens; streamlit's options follow")  # fmt: skip
    srv.add_argument("options", nargs=argparse.REMAINDER, help="passed to streamlit run (--server.port 8501 ...)")
    imp = sub.add_parser("import", help="validate a CSV or .xlsx file and commit it as one batch")
    imp.add_argument("file", type=Path)
    imp.add_argument("--table", required=True, choices=sorted(TABLES))
    imp.add_argument("--dry-run", action="store_true", help="validate and show what would change; write nothing")
    imp.add_argument("--report", type=Path, help="write the result as JSON to this file")
    imp.add_argument("--user", default=getpass.getuser(), help="who is importing (recorded with the batch)")
    imp.add_argument("--as", dest="as_user", metavar="NAME",
                     help="import with this twinmap user's role and home cities, recorded as theirs (a scheduled "
                          "import's service user); without it the command line acts as an admin")  # fmt: skip
    imp.add_argument("--map", help="read the file's columns as this mapping says (a .json file or a saved name)")
    imp.add_argument(
        "--skip-invalid",
        action="store_true",
        help="import the valid rows and leave out the rows with problems (default: all or nothing)",
    )
    imp.add_argument("--strict", action="store_true",
                     help="refuse a file that renames a held city into another city or moves one far, "
                          "unless --confirm-renames")  # fmt: skip
    imp.add_argument("--confirm-renames", action="store_true", help="with --strict: those renames are meant")
    imp.add_argument("--blank-clears", action="store_true",
                     help="a blank cell of a row that updates a held row erases the held value (default: keeps it); "
                          "every erased value is listed")  # fmt: skip
    imp.add_argument("--rejects", type=Path,
                     help="with --skip-invalid: write the left-out rows, with a problem column, to this CSV "
                          "(default: FILE-rejected.csv beside the file)")  # fmt: skip
    gss = sub.add_parser("map", help="guess how a file's columns read as a table's template: a mapping to edit")
    gss.add_argument("file", type=Path)
    gss.add_argument("--table", required=True, choices=sorted(TABLES))
    gss.add_argument("--home-side", choices=mapping.HOME_SIDES, help="a pair list: which side is our home city")
    tpl = sub.add_parser("template", help="write a table's template CSV to standard output")
    tpl.add_argument("table", choices=sorted(TABLES))
    sub.add_parser("history", help="list past imports")
    und = sub.add_parser("undo", help="undo an import batch")
    und.add_argument("batch", type=int)
    und.add_argument("--user", default=getpass.getuser())
    und.add_argument("--as", dest="as_user", metavar="NAME", help="undo with this twinmap user's role and home cities")
    exp = sub.add_parser("export", help="write every table as CSV and one Excel workbook into DIR")
    exp.add_argument("dir", type=Path)
    pub = sub.add_parser("publish", help="write the public data into DIR as a Frictionless Data Package (CSV, "
                                         "GeoJSON, datapackage.json) for an open-data portal")  # fmt: skip
    pub.add_argument("dir", type=Path)
    pub.add_argument("--with-photos", action="store_true",
                     help="write the public photos' files too (their metadata is always in photos.csv)")  # fmt: skip
    dig = sub.add_parser("digest", help="e-mail the leaders' digest (expiring agreements, follow-ups, next "
                                        "events, partnerships turned fading); none with nothing to say")  # fmt: skip
    dig.add_argument("--to", required=True, help="the address it goes to")
    dig.add_argument("--lang", choices=sorted(i18n.LANGUAGES), default="en")
    dig.add_argument("--smtp", help="HOST:PORT of the mail server (default: TWINMAP_SMTP)")
    dig.add_argument("--dry-run", action="store_true", help="print the message instead of sending it")
    rep = sub.add_parser("report", help="write the annual report of a year as a PDF (A4) for the mayor and council")
    rep.add_argument("out", type=Path, metavar="OUT.pdf")
    rep.add_argument("--year", type=int, required=True, help="the year in the language's calendar (1404 in fa, 2025)")
    rep.add_argument("--lang", choices=sorted(i18n.LANGUAGES), default="en")
    rep.add_argument("--internal", action="store_true",
                     help="the internal version (private stages, health, missions, follow-ups, targets); "
                          "default: the public one, public data only")  # fmt: skip
    rep.add_argument("--home-city", action="append", metavar="NAME",
                     help='only this home city\'s partnerships ("Sari" or "Sari,IR"); repeat for several')  # fmt: skip
    mig = sub.add_parser(
        "migrate-store",
        help="copy everything (import history, users, ids) from TWINMAP_DB into a new, empty store: "
        "a PostgreSQL DSN or a DuckDB file",
    )
    mig.add_argument("target", help="postgresql://user@host/dbname, libpq keywords, or a new .duckdb file")
    bak = sub.add_parser("backup", help="write a checked copy of the store (a DuckDB file named with the time and "
                                          "data version) into DIR, keeping the last TWINMAP_BACKUP_KEEP")  # fmt: skip
    bak.add_argument("dir", nargs="?", type=Path, help="where (default: TWINMAP_BACKUP_DIR)")
    res = sub.add_parser("restore", help="replace the store with a backup, after reading every row of it; the store "
                                         "as it was is kept in the backup folder")  # fmt: skip
    res.add_argument("file", type=Path)
    pwd = sub.add_parser("password", help="give a user a new random password (adding the user if needed)")
    pwd.add_argument("name")
    pwd.add_argument("--role", choices=auth.ROLES, help="role for a new user (default editor) or a new role")
    pwd.add_argument("--home-cities", metavar="CITIES",
                     help='limit the user to home cities, as "Shiraz,IR;Sari,IR" ("" = every home city)')  # fmt: skip
    sub.add_parser("sign-ins", help="list the sign-in audit (newest first): sign-ins, failed attempts, lockouts")
    _attach_parsers(sub)
    return parser


_RECORD_TABLES = {"partnership": "partnerships", "event": "events", "mission": "missions"}


def _attach_parsers(sub: argparse._SubParsersAction) -> None:
    """``attach`` (documents and photos onto a record, one batch) and ``attachments`` (what a record holds)."""
    att = sub.add_parser("attach", help="attach PDF documents and photos to a record, as one batch an undo reverses; "
                                        "a refused file refuses them all, nothing stored")  # fmt: skip
    att.add_argument("files", nargs="+", type=Path, metavar="FILE")
    att.add_argument("--to", nargs=2, required=True, metavar=("RECORD", "KEY"),
                     help='partnership "Sari,IR;Astrakhan,RU" (or its id), event ID, or mission ID')  # fmt: skip
    att.add_argument("--kind", choices=reference.codes(reference.ATTACHMENT_KINDS),
                     help="what the files are (default: photo for a picture, other for a PDF)")  # fmt: skip
    att.add_argument("--title", default="", help="a title in any language (default: the file's name)")
    att.add_argument("--date", type=dt.date.fromisoformat, help="the document's or photo's date, YYYY-MM-DD")
    att.add_argument("--public", action="store_true", help="the public may see them (default: staff only)")
    att.add_argument("--caption", default="", help="a photo's caption")
    att.add_argument("--credit", default="", help="who took the photo")
    att.add_argument("--licence", default="", help="the photo's licence (CC-BY-4.0 ...), for open data")
    att.add_argument("--user", default=getpass.getuser(), help="who is attaching (recorded with the batch)")
    att.add_argument("--as", dest="as_user", metavar="NAME", help="attach with this twinmap user's role and home "
                                                                  "cities, recorded as theirs")  # fmt: skip
    lst = sub.add_parser("attachments", help="list the documents and photos a record holds")
    lst.add_argument("--to", nargs=2, required=True, metavar=("RECORD", "KEY"),
                     help='partnership "Sari,IR;Astrakhan,RU" (or its id), event ID, or mission ID')  # fmt: skip


class _Printable:
    """A text stream that writes what people typed (names, titles, file names) as text a terminal only shows."""

    def __init__(self, stream: object) -> None:
        self._stream = getattr(stream, "_stream", stream)  # never wrapped twice

    def write(self, text: str) -> int:
        """Write ``text`` with its control characters made visible."""
        return self._stream.write(printable(text))

    def __getattr__(self, name: str) -> object:
        return getattr(self._stream, name)


def main(argv: list[str] | None = None) -> int:
    """Run one command; return the exit code. Problems are one line each, never a traceback."""
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["serve"]:  # Streamlit reads its own options (--server.port ...): not parsed here
        from twinmap.ui import serve

        return serve.main(argv[1:])
    streams = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _Printable(sys.stdout), _Printable(sys.stderr)  # typed text never drives the terminal
    try:
        return _run(_parser().parse_args(argv))
    finally:
        sys.stdout, sys.stderr = streams


def _run(args: argparse.Namespace) -> int:
    """The command ``args`` names, on the configured store."""
    if args.command == "template":
        sys.stdout.buffer.write(exporter.template(args.table))
        return 0
    if args.command == "map":  # reads only the file: no store needed
        return _map(None, args)
    target = config.db_target()
    if args.command == "migrate-store":  # opens both stores itself, the source read-only
        return _migrate_store(target, args.target)
    if args.command == "restore":  # the store is replaced, not opened first
        return _restore(target, args.file)
    path = postgres.redact(target)  # how messages name the store: never with a password
    try:
        con = seed.connect(target)
    except db.DatabaseError as err:
        if args.command == "password" and err.msgid in (db.BUSY, db.BUSY_BY):
            return _password_through_the_app(target, args, err)
        print(f"error: {path}: {err}", file=sys.stderr)
        return db.exit_code(err)
    try:
        return _COMMANDS[args.command](con, args)
    except (db.DatabaseError, duckdb.Error) as err:
        told = db.explain(err, target)
        print(f"error: {path}: {told}", file=sys.stderr)
        return db.exit_code(told)
    except OSError as err:
        print(f"error: {err.strerror or err} ({err.filename or ''})", file=sys.stderr)
        return 1
    finally:
        con.close()


SHOWN = 50  # problems printed; --report holds them all


def _import(con, args) -> int:
    if not args.file.is_file():
        print(f"error: no file {args.file}", file=sys.stderr)
        return 2
    try:
        layout = mapping.load(con, args.map) if args.map else None
    except mapping.MappingProblem as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    writer, recorded = _acting(con, args)
    if writer is False:
        return 1
    data, name = args.file.read_bytes(), args.file.name
    plans = importer.plan_file(con, data, name, args.table, layout, args.blank_clears, writer)  # a pair list: two parts
    partial = args.skip_invalid and all(p.ok or p.can_skip for p in plans)
    refused = not all(p.ok for p in plans) and not partial  # all or nothing, across the parts too
    unconfirmed = args.strict and not args.confirm_renames and any(p.risky for p in plans)
    if unconfirmed and not refused:
        print(f"{name}: refused under --strict; nothing was changed. Run it again with --confirm-renames if these "
              "are meant:")  # fmt: skip
        _print_all([f"note: {r.text(args.table)}" for p in plans for r in p.risky])
        return 1
    committed: list[int | None] | None = None
    if not refused and not args.dry_run:
        try:
            committed = batches.commit_parts(con, plans, recorded, skip_invalid=partial)
        except (batches.StalePreview, batches.ImportRejected, batches.CommitFailed) as err:
            print(f"error: {err}", file=sys.stderr)
            return 1
    reports = [_import_part(args, plan, refused, partial, committed[i] if committed else None, committed is not None)
               for i, plan in enumerate(plans)]  # fmt: skip
    if args.report:
        report = reports[0] if len(reports) == 1 else {"parts": reports}
        args.report.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    return 1 if refused else 0


def _acting(con, args) -> tuple[str | bool | None, str]:
    """Whose rights a command uses and the name its batch records: ``--as`` a user, else an admin's, said so.

    Returns (False, "") after printing why when the ``--as`` user cannot do it.
    """
    if not args.as_user:
        return None, f"{args.user} (command line, as admin)"
    found = auth.user(con, args.as_user)
    if found is None or not found.can("editor"):
        why = "there is no such user" if found is None else f"a {found.role} may not change data"
        print(f"error: --as {args.as_user}: {why}", file=sys.stderr)
        return False, ""
    return found.name, found.name


def _import_part(args, plan: importer.Plan, refused: bool, partial: bool, batch: int | None, done: bool) -> dict:
    """Print what happened to one part of a file (committed as ``batch`` when ``done``), and its report."""
    status = "rejected" if refused else "valid"
    if done:
        status = "committed" if batch else "unchanged"
    name = args.file.name + (f" ({plan.table})" if plan.part else "")
    report = plan.report(status) | {"batch": batch}
    print(_summary(plan, report, name))
    if partial and plan.errors:
        suffix = f"-{plan.part}" if plan.part else ""
        rejects = args.rejects or args.file.with_name(f"{args.file.stem}{suffix}-rejected.csv")
        rejects.write_bytes(plan.rejects_csv())
        print(f"  {len(plan.skipped_rows)} row(s) with problems left out, written with their reasons to {rejects}")
    _print_all([f"{'skipped' if partial else 'error'}: {p.text(name)}" for p in plan.errors])
    _print_all([f"note: {w.reason}" for w in plan.warnings])
    verb = "would erase" if status == "valid" else "erased"
    _print_all([f"{verb}: {name}, row {row}, column {col}: {quoted(_shown(old))}" for row, col, old in plan.erasures])
    _print_all([f"local name: {c.before.get('name')} is now also {c.after['local_name']} (row {c.row})"
                for c in plan.spellings_to_add if "local_name" in c.after])  # fmt: skip
    return report


def _shown(value: object) -> str:
    """A held value in one line of text (a list, such as areas, joined)."""
    return ";".join(value) if isinstance(value, list) else str(value)


def _summary(plan: importer.Plan, report: dict, name: str) -> str:
    """One line that says what happened; counts of what would change only for a file that can change it."""
    read = f"{name}: {report['status']} ({plan.encoding or 'unread'}); rows read {plan.rows_read}"
    if report["status"] == "rejected":
        if plan.ok:  # a part of a pair list, valid itself, held back with the part that is not
            return f"{read}; valid, but nothing was changed: the other part of the file has problems"
        return f"{read}; {len(plan.errors)} problem(s), nothing was changed"
    verb = "would be " if report["status"] == "valid" else ""
    fields = sorted({col for c in plan.changed for col in c.after})
    done = (
        f"{read}; {verb}inserted {report['inserted']}, {verb}updated {report['updated']}"
        + (f" ({', '.join(fields)})" if fields else "")
        + f", unchanged {report['unchanged']}, cities {verb}created {report['cities_created']}"
    )
    return done + (f"; committed as import #{report['batch']}" if report["batch"] else "")


def _print_all(lines: list[str]) -> None:
    for line in lines[:SHOWN]:
        print(f"  {line}")
    if len(lines) > SHOWN:
        print(f"  ... and {len(lines) - SHOWN} more (--report FILE lists them all)")


def _history(con, _args) -> int:
    frame = batches.history(con)
    cols = ["id", "created_at", "user_name", "table_name", "file_name", "inserted", "updated", "unchanged", "status"]
    print(frame[cols].to_string(index=False) if len(frame) else "no imports yet")
    return 0


def _undo(con, args) -> int:
    writer, recorded = _acting(con, args)
    if writer is False:
        return 1
    try:
        batches.undo(con, args.batch, recorded, writer)
    except (batches.UndoRefused, batches.CommitFailed) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    print(f"import #{args.batch} undone")
    return 0


def _export(con, args) -> int:
    for path in exporter.export_dir(con, args.dir):
        print(path)
    return 0


def _publish(con, args) -> int:
    tables = opendata.tables(con)
    photos = {}
    if args.with_photos:  # the public photos' files, read one by one through the public rule
        for pid in tables["photos"]["id"]:
            found = attached.content(con, int(pid), attached.PUBLIC)
            if found:
                photos[int(pid)] = found[2]
    made = files.write_all(args.dir, datapackage.files(tables, dt.datetime.now(dt.UTC).replace(tzinfo=None),
                                                       config.get("TWINMAP_OPEN_DATA_LICENSE"),
                                                       config.get("TWINMAP_PUBLISHER"), photos))  # fmt: skip
    for path in made:
        print(path)
    return 0


def _digest(con, args) -> int:
    key = f"digest fading {args.to}"
    before = set(json.loads(db.meta(con.cursor(), key) or "[]"))
    found = digest.gather(con, config.today(), before)
    if found.empty:
        print(f"nothing to say: no digest sent to {args.to}")
        return 0
    tr = _reader(con, args.lang)
    message = maildigest.message(found, tr, config.get("TWINMAP_APP_URL"), config.get("TWINMAP_DIGEST_FROM"), args.to)
    if args.dry_run:
        print(message.get_body(("plain",)).get_content())
        return 0
    host, port = (args.smtp.rsplit(":", 1)[0], int(args.smtp.rsplit(":", 1)[1])) if args.smtp else mail.server()
    try:
        mail.send(message, host, port)
    except (OSError, smtplib.SMTPException) as err:
        print(f"error: the digest could not be sent through {host}:{port}: {err}", file=sys.stderr)
        return 1
    with db.write_transaction(con, bump=False) as cur:  # the next digest names only what turned fading after this
        db.set_meta(cur, key, json.dumps(found.fading_now))
    print(f"digest sent to {args.to}: {message['Subject']}")
    return 0


def _reader(con, lang: str) -> i18n.Translator:
    """A reader of ``lang`` in its own calendar, with the store's cities' spellings learned."""
    i18n.learn_spellings(queries.city_spellings(con))
    return i18n.Translator(lang, i18n.default_calendar(lang))


def _report(con, args) -> int:
    tr = _reader(con, args.lang)
    try:
        homes = report.home_cities(con, args.home_city or [])
    except report.UnknownHomeCity as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    f = queries.PartnershipFilter(home_city_ids=tuple(homes), include_private=args.internal)
    found = report.gather(con, f, args.year, tr.cal, config.today(), args.internal)
    try:
        made = printed.annual(found, tr, [tr.city(*n) for n in homes.values()], config.get("TWINMAP_PUBLISHER"))
    except printed.ReportError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    files.write_file(args.out, made)
    print(f"{args.out}: {tr.cal} year {args.year}, {len(found.partners)} partnerships, {len(made) // 1024} KB")
    return 0


def _backup(con, args) -> int:
    made = backup.make(con, args.dir or config.backup_dir(), config.whole("TWINMAP_BACKUP_KEEP"))
    with db.write_transaction(con, bump=False) as cur:
        db.set_meta(cur, "last_backup", str(made.path))
    rows = sum(made.rows.values())
    print(f"backup {made.path} ({made.bytes / 1024 / 1024:.1f} MB, data version {made.version}, {rows} rows): "
          "read back and checked")  # fmt: skip
    return 0


def _restore(target: str, file: Path) -> int:
    if not file.is_file():
        print(f"error: no file {file}", file=sys.stderr)
        return 2
    try:
        rows = backup.restore(target, file, config.backup_dir())
    except db.DatabaseError as err:
        print(f"error: {postgres.redact(target)}: {err}", file=sys.stderr)
        return db.exit_code(err)
    print(f"restored {file.name} into {postgres.redact(target)} ({sum(rows.values())} rows); the store as it was "
          f"is kept in {config.backup_dir()}")  # fmt: skip
    return 0


def _migrate_store(source: str, target: str) -> int:
    try:
        counts = transfer.copy_store(source, target)
    except (db.DatabaseError, duckdb.Error) as err:
        print(f"error: {postgres.redact(target)}: {db.explain(err, target)}", file=sys.stderr)
        return 1
    for table, n in counts.items():
        print(f"{table}: {n}")
    print(f"copied {postgres.redact(source)} -> {postgres.redact(target)}")
    return 0


def _password(con, args) -> int:
    try:
        password, scope = auth.give_password(con, args.name, args.role, args.home_cities)
    except auth.AuthError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    print(scope)
    print(f"new password for {args.name}: {password}")
    return 0


def _password_through_the_app(target: str, args, busy: db.DatabaseError) -> int:
    """``password`` while the running app holds the file: the app does it (its desk), or say how to."""
    try:
        answer = desk.ask_password(target, args.name, args.role, args.home_cities)
    except desk.DeskError as err:
        print(f"error: {postgres.redact(target)}: {busy} ({err}). An administrator can also give a new password on "
              "the Users page.", file=sys.stderr)  # fmt: skip
        return db.exit_code(busy)
    if "error" in answer:
        print(f"error: {answer['error']}", file=sys.stderr)
        return 1
    print(answer["scope"])
    print(f"new password for {args.name}: {answer['password']} (through the running app)")
    return 0


def _sign_ins(con, _args) -> int:
    frame = auth.sign_ins(con)
    print(frame.to_string(index=False) if len(frame) else "no sign-ins recorded")
    return 0


def _target(con, args) -> attachments.Target | None:
    """The record ``--to`` names, or None after printing why."""
    table = _RECORD_TABLES.get(args.to[0].lower().rstrip("s"))
    if table is None:
        print(f"error: --to {args.to[0]}: a record is a partnership, an event or a mission", file=sys.stderr)
        return None
    try:
        return attachments.find(con, table, args.to[1])
    except Explained as err:
        print(f"error: --to: {err}", file=sys.stderr)
        return None


def _attach(con, args) -> int:
    missing = [f for f in args.files if not f.is_file()]
    if missing:
        print(f"error: no file {missing[0]}", file=sys.stderr)
        return 2
    to = _target(con, args)
    writer, recorded = _acting(con, args)
    if to is None or writer is False:
        return 1
    details = attachments.Details(args.kind, args.title, args.date, args.public, args.caption, args.credit,
                                  args.licence)  # fmt: skip
    try:
        stored = attachments.attach(con, [(f.name, f.read_bytes()) for f in args.files], to, details, recorded, writer)
    except attachments.NotStored as err:
        _print_all([f"error: {line}" for line in err.said(i18n.Translator())])
        return 1
    except batches.CommitFailed as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    for c in stored.kept:
        print(f"{c.name}: stored ({c.media_type}, {uploads.size_text(len(c.content))}, sha256 {c.sha256[:12]})")
    for name in stored.already:
        print(f"{name}: already on this record, not added again")
    if stored.batch is not None:
        print(f"attachment batch #{stored.batch}; undo it with: python -m twinmap undo {stored.batch}")
    return 0


def _attachments(con, args) -> int:
    to = _target(con, args)
    if to is None:
        return 1
    frame = attached.listing(con, attached.Audience(True), **{to.table: (to.id,)})
    if frame.empty:
        print("no attachments")
        return 0
    for r in frame.itertuples():
        seen = "public" if r.is_public else "staff only"
        print(f"#{r.id}\t{r.kind}\t{seen}\t{r.media_type}\t{uploads.size_text(r.size)}\t{r.file_name}\t{r.title}")
    return 0


def _map(_con, args) -> int:
    try:
        sheet = readers.read(args.file.read_bytes())
    except readers.FileProblem as err:
        print(f"error: {args.file.name}: {err}", file=sys.stderr)
        return 1
    columns = mapping.guess(args.table, sheet.header)
    layout = mapping.Mapping(args.table, columns, mapping.suggested_defaults(args.table, columns), args.home_side or "")
    print(layout.to_json())
    return 0


_COMMANDS = {
    "import": _import,
    "map": _map,
    "history": _history,
    "undo": _undo,
    "export": _export,
    "publish": _publish,
    "digest": _digest,
    "report": _report,
    "password": _password,
    "sign-ins": _sign_ins,
    "backup": _backup,
    "attach": _attach,
    "attachments": _attachments,
}

if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
