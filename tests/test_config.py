from twinmap.core import config


def test_every_setting_is_documented_in_the_readme():
    readme = (config.ROOT / "README.md").read_text(encoding="utf-8")
    missing = [s.env for s in config.SETTINGS if s.env not in readme]
    assert not missing, f"document these settings in README.md: {missing}"


def test_settings_come_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("TWINMAP_DB", str(tmp_path / "x.duckdb"))
    assert config.db_target() == str(tmp_path / "x.duckdb")
    monkeypatch.delenv("TWINMAP_DB")
    assert config.db_target() == str(config.DATA_DIR / "twinmap.duckdb")
