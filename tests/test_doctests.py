"""The examples in the docstrings of the core (graph/) hold."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import graph

MODULES = sorted(m.name for m in pkgutil.walk_packages(graph.__path__, "graph."))


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_hold(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples in {name} failed"


@pytest.mark.parametrize("name", ["graph.analysis.measures", "graph.analysis.views", "graph.analysis.writeback",
                                  "graph.analysis.paths", "graph.analysis.textmatch", "graph.analysis.runs",
                                  "graph.analysis.expertise"])
def test_analysis_modules_have_examples(name):
    finder = doctest.DocTestFinder()
    examples = sum(len(test.examples) for test in finder.find(importlib.import_module(name)))
    assert examples > 0, f"{name} has no docstring examples"
