"""Every setting is described in the settings class; the README section and `regiokg --help`
are generated from that one table (SETTINGS_DOC)."""

from cli_helpers import run_cli

from graph.settings import PROJECT_ROOT, SETTINGS_DOC, Settings, readme_with_settings, settings_markdown


def test_every_setting_has_a_description_and_a_row():
    assert [doc.name for doc in SETTINGS_DOC] == list(Settings.model_fields)
    for doc in SETTINGS_DOC:
        assert doc.description, f"setting {doc.name} has no description"


def test_readme_settings_section_is_the_generated_table():
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    assert readme_with_settings(readme) == readme, "README.md's settings table is stale: run python -m graph.settings"
    assert settings_markdown() in readme
    table = readme.split("## Settings", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in table.splitlines() if line.startswith("| `REGIOKG_")]
    assert [row.split("`")[1] for row in rows] == [doc.env for doc in SETTINGS_DOC]


def test_help_lists_every_setting_with_its_default():
    out = run_cli("--help", check=True).stdout
    for doc in SETTINGS_DOC:
        assert f"{doc.env} (default {doc.default}" in out, f"{doc.env} missing from regiokg --help"


def test_settings_read_from_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("REGIOKG_STORE", str(tmp_path / "s"))
    monkeypatch.setenv("REGIOKG_QUERY_TIMEOUT", "2.5")
    s = Settings()
    assert s.store_path() == (tmp_path / "s").resolve() and s.query_timeout == 2.5
