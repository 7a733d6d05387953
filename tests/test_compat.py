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
