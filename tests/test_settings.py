"""Every setting is described in the settings class and documented in the README."""

from graph.settings import PROJECT_ROOT, Settings


def test_every_setting_has_a_description_and_a_readme_row():
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    for name, field in Settings.model_fields.items():
        assert field.description, f"setting {name} has no description"
        assert f"`REGIOKG_{name.upper()}`" in readme, f"REGIOKG_{name.upper()} is not in README.md"


def test_settings_read_from_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("REGIOKG_STORE", str(tmp_path / "s"))
    monkeypatch.setenv("REGIOKG_QUERY_TIMEOUT", "2.5")
    s = Settings()
    assert s.store_path() == (tmp_path / "s").resolve() and s.query_timeout == 2.5
