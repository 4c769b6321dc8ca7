"""Build shim for `scrapyd-deploy`, which packs the project with `python setup.py bdist_egg`.

Everything (metadata, package data, the `scrapy` entry point naming the settings module that
scrapyd loads) is declared in pyproject.toml. This file only exists so that scrapyd-deploy
does not write its own setup.py into the work tree; pip and `make` build from pyproject.toml.
"""

from setuptools import setup

setup()
