"""A Streamlit session without a browser: a websocket client speaking Streamlit's own protocol.

A browser per session would measure Chromium drawing (twenty of them fill two cores by
themselves); this client asks for a page exactly as the browser does (a ``rerun_script``
message) and counts the time until Streamlit's "script finished", the bytes the server sent, and
whether an exception element was drawn. Widgets are found by their key (or label) in the
elements the server sent, so a client can sign in through the Account page's form.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

TIMEOUT = 300.0


@dataclass
class Answer:
    """One page's answer: seconds from asking to "script finished", bytes received, what was drawn."""

    seconds: float
    bytes: int
    exception: str | None
    widgets: dict[str, str] = field(default_factory=dict)  # key or label -> widget id
    texts: list[str] = field(default_factory=list)


def _element_widget(element) -> tuple[str, str] | None:
    """(key or label, id) of a widget element, or None."""
    kind = element.WhichOneof("type")
    inner = getattr(element, kind) if kind else None
    widget_id = getattr(inner, "id", "") if inner is not None else ""
    if not widget_id or not isinstance(widget_id, str):
        return None
    parts = widget_id.split("-", 2)  # "$$ID-<hash>-<key>", the key "None" when the widget has none
    key = parts[2] if len(parts) == 3 and parts[2] != "None" else ""
    return key or getattr(inner, "label", ""), widget_id


class Session:
    """One visitor's websocket; ``ask`` runs a page and returns its :class:`Answer`."""

    def __init__(self, url: str) -> None:
        self.url = url.replace("http://", "ws://").rstrip("/") + "/_stcore/stream"
        self.ws = None
        self.widgets: dict[str, str] = {}

    async def __aenter__(self) -> Session:
        import websockets

        self.ws = await websockets.connect(self.url, subprotocols=["streamlit"], max_size=None, open_timeout=60)
        return self

    async def __aexit__(self, *exc) -> None:
        await self.ws.close()

    async def ask(self, page: str = "", states: dict | None = None, query: str = "") -> Answer:
        """Run ``page`` (its URL name, "" for home) with widget ``states`` ({key or label: value})."""
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        msg = BackMsg()
        msg.rerun_script.query_string = query
        msg.rerun_script.page_name = page
        for name, value in (states or {}).items():
            state = msg.rerun_script.widget_states.widgets.add()
            state.id = self.widget(name)
            if value is True:
                state.trigger_value = True
            else:
                state.string_value = str(value)
        start = time.perf_counter()
        await self.ws.send(msg.SerializeToString())
        received, exception, found, texts = 0, None, {}, []
        while True:
            raw = await asyncio.wait_for(self.ws.recv(), timeout=TIMEOUT)
            received += len(raw)
            reply = ForwardMsg()
            reply.ParseFromString(raw)
            kind = reply.WhichOneof("type")
            if kind == "script_finished" and reply.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                break  # a run that asked for a rerun (st.rerun) is not the answer: the rerun is
            if kind == "delta" and reply.delta.WhichOneof("type") == "new_element":
                element = reply.delta.new_element
                which = element.WhichOneof("type")
                if which == "exception":
                    exception = element.exception.message or element.exception.type
                elif which in ("markdown", "heading", "alert"):
                    texts.append(getattr(element, which).body)
                pair = _element_widget(element)
                if pair:
                    found[pair[0]] = pair[1]
        self.widgets.update(found)
        return Answer(time.perf_counter() - start, received, exception, found, texts)

    def widget(self, name: str) -> str:
        """The id of the widget keyed (or labelled) ``name``; a form's submit button is keyed by form and label."""
        if name in self.widgets:
            return self.widgets[name]
        return next(i for k, i in self.widgets.items() if k.endswith(f"-{name}"))

    async def sign_in(self, name: str, password: str) -> None:
        """Sign in through the Account page's form, as a person would."""
        await self.ask("account")
        answer = await self.ask("account", {"account_name": name, "account_password": password, "Sign in": True})
        if not any("Signed in as" in t for t in answer.texts):
            raise RuntimeError(f"could not sign in as {name}: {answer.texts[:5]}")
