"""The Streamlit internals twinmap leans on (twinmap/ui/compat.py) are still where it expects them.

If a Streamlit upgrade moves or renames them, these fail first and say what to look at, instead
of the app silently losing its frame on a direct page URL.
"""


def test_the_pages_manager_still_has_the_old_multipage_switch():
    from streamlit.runtime.pages_manager import PagesManager

    assert hasattr(PagesManager, "uses_pages_directory"), "Streamlit moved PagesManager.uses_pages_directory"


def test_thread_state_can_still_set_the_active_script():
    from streamlit.runtime.scriptrunner_utils import script_run_context
    from streamlit.runtime.scriptrunner_utils.script_run_context import ThreadState, get_script_run_ctx

    assert callable(get_script_run_ctx) and callable(ThreadState.update)
    fields = script_run_context._FragmentThreadStateFields.__annotations__
    assert "active_script_hash" in fields, "ThreadState.update no longer takes active_script_hash"


def test_the_script_context_still_knows_the_main_scripts_hash():
    from streamlit.runtime.pages_manager import PagesManager

    assert hasattr(PagesManager, "main_script_hash"), "Streamlit moved PagesManager.main_script_hash"


def test_a_component_still_escapes_its_arguments_with_the_modules_json_dumps():
    import inspect

    from streamlit.components.v1 import custom_component

    assert "serialized_json_args = json.dumps(json_args)" in inspect.getsource(custom_component), (
        "Streamlit changed how a component's arguments become JSON: compat.args_encoded_once no longer applies"
    )


def test_arguments_encoded_once_are_the_very_text_json_dumps_makes():
    import json

    from twinmap.ui import compat

    script = 'var a = "</script>\\n"; // «Сари» ساری \u2028 \x00'
    args = {"script": compat.Encoded(script), "height": 380, "default": None, "returned_objects": ["a"],
            "bounds": {"_southWest": {"lat": 1.5}}, "key": "k"}  # fmt: skip
    assert compat._dumps(args) == json.dumps({k: str(v) if isinstance(v, str) else v for k, v in args.items()})
    assert compat._dumps([1, "x"]) == json.dumps([1, "x"]) and compat._dumps({"a": 1}, indent=2) == json.dumps(
        {"a": 1}, indent=2
    )
    compat.args_encoded_once()
    compat.args_encoded_once()
    from streamlit.components.v1 import custom_component

    assert custom_component.json.dumps is compat._dumps and custom_component.json.loads is json.loads
